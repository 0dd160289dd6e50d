package io.alignloss.lm;

import io.alignloss.config.LanguageModelOptions;
import org.junit.jupiter.api.Test;

import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

import static org.assertj.core.api.Assertions.assertThat;

/** A configured language-model block becomes settings: given values kept, absent ones the model's defaults. */
class LmSettingsTest {
    @Test
    void absentBlockAndEmptyBlockAreTheDefaults() {
        LmSettings defaults = new LmSettings(new LmShape(3, 16, 32, false), 0, 2);
        assertThat(LmSettings.defaults()).isEqualTo(defaults);
        assertThat(LmSettings.of(Optional.empty())).isEqualTo(defaults);
        assertThat(LmSettings.of(LanguageModelOptions.defaults())).isEqualTo(defaults);
    }

    @Test
    void givenValuesAreKept() {
        LanguageModelOptions all = new LanguageModelOptions(OptionalInt.of(2), OptionalInt.of(10), OptionalInt.of(8), OptionalInt.of(7),
                OptionalLong.of(5), true);
        assertThat(LmSettings.of(Optional.of(all))).isEqualTo(new LmSettings(new LmShape(2, 10, 8, true), 7, 5));
        LanguageModelOptions some = new LanguageModelOptions(OptionalInt.empty(), OptionalInt.of(12), OptionalInt.empty(),
                OptionalInt.empty(), OptionalLong.of(1), false);
        assertThat(LmSettings.of(some)).isEqualTo(new LmSettings(new LmShape(3, 12, 32, false), 0, 1));
    }
}
