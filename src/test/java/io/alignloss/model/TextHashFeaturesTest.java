package io.alignloss.model;

import io.alignloss.config.FeatureSpec;
import io.alignloss.config.FeatureType;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class TextHashFeaturesTest {
    private final TextHashFeatures features = new TextHashFeatures(new FeatureSpec(FeatureType.TEXT_HASH, 18, 2, 4, FeatureSpec.PROMPT_RESPONSE));

    @Test
    void tokensAreCl100kBase() {
        // "hello world" is two cl100k_base tokens: 15339 ("hello") and 1917 (" world")
        assertThat(TextHashFeatures.tokens("hello world")).containsExactly(15339, 1917);
    }

    @Test
    void vectorsAreSparseSortedUnitNormAndDeterministic() {
        FeatureVector f = features.features("What is 2 + 2?", "It is 4, because 2 + 2 = 4.", null);
        assertThat(f.isDense()).isFalse();
        assertThat(f.indices()).isSorted().doesNotHaveDuplicates();
        assertThat(Arrays.stream(f.indices()).allMatch(i -> i >= 0 && i < (1 << 18))).isTrue();
        double squares = 0;
        for (float v : f.values()) {
            squares += v * v;
        }
        assertThat(squares).isCloseTo(1, within(1e-6));
        FeatureVector again = new TextHashFeatures(features.spec()).features("What is 2 + 2?", "It is 4, because 2 + 2 = 4.", null);
        assertThat(again.indices()).containsExactly(f.indices());
        assertThat(again.values()).containsExactly(f.values());
    }

    @Test
    void countsUnigramsBigramsAndPromptResponsePairs() {
        int[] prompt = {1, 2};
        int[] response = {7, 8, 7, 8};
        FeatureVector f = features.features(prompt, response);
        // unigrams {7, 8}, bigrams {78, 87}, pairs {1, 2} × {7, 8}: 8 features (barring a hash collision)
        assertThat(f.indices()).hasSize(8);
        // counts: 7 and 8 twice, 78 twice, 87 once, each pair once → values ∝ log(1 + count)
        float[] sorted = f.values().clone();
        Arrays.sort(sorted);
        double unit = sorted[0];
        assertThat(sorted[sorted.length - 1] / unit).isCloseTo(Math.log(3) / Math.log(2), within(1e-5));
        FeatureVector noCross = new TextHashFeatures(new FeatureSpec(FeatureType.TEXT_HASH, 18, 1, 0, FeatureSpec.PROMPT_RESPONSE))
                .features(prompt, response);
        assertThat(noCross.indices()).hasSize(2);
    }

    @Test
    void promptOnlyDifferencesDoNotReachTheResponseUnigrams() {
        FeatureVector a = features.features(new int[] {1}, new int[] {5, 6});
        FeatureVector b = features.features(new int[] {2}, new int[] {5, 6});
        FeatureVector delta = FeatureVector.combine(1, a, -1, b);
        // unigrams and bigrams of the response cancel; only the (prompt, response) pairs differ
        assertThat(delta.indices()).hasSize(4);
    }
}
