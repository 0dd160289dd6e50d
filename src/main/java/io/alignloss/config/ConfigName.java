package io.alignloss.config;

import io.alignloss.error.AlignLossException;
import io.alignloss.error.ErrorCode;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * An enum whose constants a config names: the config name is the constant's name in lower case with {@code -} for
 * {@code _} ({@code TEXT_HASH} is {@code text-hash}), and the same name stands in summaries and checkpoints.
 */
public interface ConfigName {
    /** The constant's name ({@link Enum#name()}). */
    String name();

    /** The name in configs, summaries and checkpoints. */
    default String configName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** The constant of {@code type} whose config name is {@code value}, if any. */
    static <E extends Enum<E> & ConfigName> Optional<E> find(Class<E> type, String value) {
        return Arrays.stream(type.getEnumConstants()).filter(constant -> constant.configName().equals(value)).findFirst();
    }

    /** The config names of {@code type}'s constants in declaration order, joined by {@code ", "}. */
    static <E extends Enum<E> & ConfigName> String valid(Class<E> type) {
        return Arrays.stream(type.getEnumConstants()).map(ConfigName::configName).collect(Collectors.joining(", "));
    }

    /** The config error {@code Invalid <key>: '<value>' (valid: <the config names>)}. */
    static <E extends Enum<E> & ConfigName> AlignLossException invalid(Class<E> type, String value, String key) {
        return new AlignLossException(ErrorCode.CONFIG, String.format("Invalid %s: '%s' (valid: %s)", key, value, valid(type)));
    }

    /** The constant of {@code type} named {@code value}; {@code key} (the key and where it was set) prefixes the error. */
    static <E extends Enum<E> & ConfigName> E parse(Class<E> type, String value, String key) {
        return find(type, value).orElseThrow(() -> invalid(type, value, key));
    }
}
