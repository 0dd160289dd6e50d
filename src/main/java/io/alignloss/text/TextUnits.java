package io.alignloss.text;

import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Tokenizer-independent sizes of a text, the units of bits per byte and word perplexity:
 * <pre>
 *   bytes = the length of the text's UTF-8 encoding
 *   words = the number of maximal runs of characters that are not Unicode white space ({@code (?U)\S+})
 * </pre>
 * The Spark {@code Column} forms ({@code octet_length}, {@code regexp_count} with {@link #WORD}) compute the same.
 */
public final class TextUnits {
    /** A word: a maximal run of non-white-space characters (Unicode white space, as Python's {@code str.split()}). */
    public static final String WORD = "(?U)\\S+";

    private static final Pattern WORD_PATTERN = Pattern.compile(WORD);

    private TextUnits() {
    }

    /** The number of bytes of {@code text} in UTF-8 (0 for null). */
    public static long utf8Bytes(String text) {
        return text == null ? 0 : text.getBytes(StandardCharsets.UTF_8).length;
    }

    /** The number of whitespace-separated words of {@code text} (0 for null or blank). */
    public static long words(String text) {
        if (text == null) {
            return 0;
        }
        long words = 0;
        Matcher matcher = WORD_PATTERN.matcher(text);
        while (matcher.find()) {
            words++;
        }
        return words;
    }
}
