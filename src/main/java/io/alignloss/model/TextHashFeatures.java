package io.alignloss.model;

import io.alignloss.config.FeatureSpec;
import io.alignloss.text.Tokens;
import org.apache.spark.unsafe.hash.Murmur3_x86_32;

import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Hashed token features from the text alone (cl100k_base tokens): response n-grams for n = 1..ngrams and
 * pairs (prompt token, response token) of the first distinct tokens of each, which carry how well a
 * response fits its prompt (prompt-only features would cancel in Δf). Each feature's value is log(1 + count),
 * and the vector is scaled to unit L2 norm so long and short responses are on one scale. Features land in
 * 2^bits buckets by MurmurHash3 (collisions add up; no sign hashing).
 */
final class TextHashFeatures implements Featurizer {
    private static final int SEED = 0x5eed;
    private static final long UNIGRAM = 1L << 62;
    private static final long NGRAM = 2L << 62;
    private static final long CROSS = 3L << 62;

    private final FeatureSpec spec;
    private final int mask;

    TextHashFeatures(FeatureSpec spec) {
        if (spec.bits() < 1 || spec.bits() > 30) {
            throw new IllegalArgumentException("Cannot hash into 2^" + spec.bits() + " buckets: bits must be in [1, 30]");
        }
        this.spec = spec;
        this.mask = (1 << spec.bits()) - 1;
    }

    static int[] tokens(String text) {
        return Tokens.encode(text);
    }

    @Override
    public FeatureSpec spec() {
        return spec;
    }

    @Override
    public int dimension() {
        return 1 << spec.bits();
    }

    @Override
    public FeatureVector features(String prompt, String response, double[] embedding) {
        return features(tokens(prompt), tokens(response));
    }

    FeatureVector features(int[] prompt, int[] response) {
        Map<Integer, Integer> counts = new TreeMap<>();
        for (int n = 1; n <= spec.ngrams(); n++) {
            for (int i = 0; i + n <= response.length; i++) {
                long key = n == 1 ? UNIGRAM | response[i] : NGRAM | ((long) n << 56) | ngramHash(response, i, n);
                counts.merge(bucket(key), 1, Integer::sum);
            }
        }
        if (spec.crossTokens() > 0) {
            int[] p = distinctPrefix(prompt, spec.crossTokens());
            int[] r = distinctPrefix(response, spec.crossTokens());
            for (int a : p) {
                for (int b : r) {
                    counts.merge(bucket(CROSS | ((long) a << 24) | b), 1, Integer::sum);
                }
            }
        }
        int[] indices = new int[counts.size()];
        float[] values = new float[counts.size()];
        double squares = 0;
        int k = 0;
        for (Map.Entry<Integer, Integer> entry : counts.entrySet()) {
            indices[k] = entry.getKey();
            // value = log(1 + count)
            values[k] = (float) Math.log1p(entry.getValue());
            squares += values[k] * (double) values[k];
            k++;
        }
        double scale = squares > 0 ? 1 / Math.sqrt(squares) : 0;
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) (values[i] * scale);
        }
        return FeatureVector.sparse(indices, values);
    }

    private int bucket(long key) {
        return Murmur3_x86_32.hashLong(key, SEED) & mask;
    }

    private static long ngramHash(int[] tokens, int from, int n) {
        long hash = 1125899906842597L;
        for (int i = from; i < from + n; i++) {
            hash = 31 * hash + tokens[i];
        }
        return hash & ((1L << 56) - 1);
    }

    private static int[] distinctPrefix(int[] tokens, int limit) {
        Set<Integer> distinct = new LinkedHashSet<>();
        for (int token : tokens) {
            if (distinct.size() >= limit) {
                break;
            }
            distinct.add(token);
        }
        return distinct.stream().mapToInt(Integer::intValue).toArray();
    }

    @Override
    public String toString() {
        return "TextHashFeatures" + Arrays.asList(spec.bits(), spec.ngrams(), spec.crossTokens());
    }
}
