package io.alignloss.diagnostics;

import io.alignloss.testing.LocalSparkTest;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class DuplicatePairsTest extends LocalSparkTest {
    private static final StructType SCHEMA = new StructType()
            .add("prompt", DataTypes.StringType)
            .add("chosen", DataTypes.StringType)
            .add("rejected", DataTypes.StringType)
            .add("label", DataTypes.DoubleType);

    /**
     * Texts that differ by little: a shifted boundary between prompt and response ("ab" + "c" vs "a" + "bc"), a
     * trailing space, case, a composed and a decomposed é, a character outside the BMP, the empty string.
     */
    private static final String[] PROMPTS = {"p", "pa", "a", "", "P", "p ", "é"};
    private static final String[] RESPONSES = {"a", "b", "ab", "ba", "a b", "ab ", "A", "é", "e\u0301", "x\uD83D\uDE00", "\uFFFF", ""};
    private static final double[] LABELS = {1.0, 1.0, 0.0, 0.5, 0.7, 0.2};

    private record Pref(String prompt, String chosen, String rejected, double label) {
    }

    /** Random rows from small pools: planted repeats, swapped responses, relabelled and tied rows. */
    private static List<Pref> generate(long seed, int rows) {
        Random random = new Random(seed);
        List<Pref> prefs = new ArrayList<>();
        for (int i = 0; i < rows; i++) {
            prefs.add(new Pref(PROMPTS[random.nextInt(PROMPTS.length)], RESPONSES[random.nextInt(RESPONSES.length)],
                    RESPONSES[random.nextInt(RESPONSES.length)], LABELS[random.nextInt(LABELS.length)]));
        }
        return prefs;
    }

    /** The definition in plain Java: distinct ordered triples, and unordered pairs whose decided rows prefer both responses. */
    private static DuplicatePairs expected(List<Pref> prefs) {
        Set<List<String>> ordered = new HashSet<>();
        Map<List<Object>, Set<String>> preferredByPair = new HashMap<>();
        for (Pref pref : prefs) {
            ordered.add(List.of(pref.prompt, pref.chosen, pref.rejected));
            if (!pref.chosen.equals(pref.rejected) && pref.label != 0.5) {
                List<Object> pair = List.of(pref.prompt, Set.of(pref.chosen, pref.rejected));
                preferredByPair.computeIfAbsent(pair, ignored -> new HashSet<>()).add(pref.label > 0.5 ? pref.chosen : pref.rejected);
            }
        }
        long contradictory = preferredByPair.values().stream().filter(preferred -> preferred.size() == 2).count();
        return new DuplicatePairs(prefs.size(), ordered.size(), contradictory);
    }

    private Dataset<Row> data(List<Pref> prefs) {
        List<Row> rows = new ArrayList<>();
        for (Pref pref : prefs) {
            rows.add(RowFactory.create(pref.prompt, pref.chosen, pref.rejected, pref.label));
        }
        return spark.createDataFrame(rows, SCHEMA).repartition(3);
    }

    @Test
    void countsMatchThePlainJavaDefinitionOnRepeatedSwappedAndNearDuplicatePairs() {
        List<Pref> prefs = generate(7, 3000);
        DuplicatePairs expected = expected(prefs);
        // the pools make repeats and contradictions common: the check is not vacuous
        assertThat(expected.distinct()).isBetween(100L, 2000L);
        assertThat(expected.contradictory()).isGreaterThan(50L);
        assertThat(DuplicatePairs.of(data(prefs), prefs.size())).isEqualTo(expected);
    }

    @Test
    void phaseTwoSeparatesPairsWhoseKeysCollide() {
        List<Pref> prefs = generate(11, 2000);
        DuplicatePairs expected = expected(prefs);
        // a 3-bit key puts hundreds of different pairs under each of at most 8 keys: only phase 2's texts tell them apart
        assertThat(DuplicatePairs.of(data(prefs), prefs.size(), 3, DuplicatePairs.MAX_COLLECTED_KEYS)).isEqualTo(expected);
        // the same with the candidates joined through the shuffle instead of collected
        assertThat(DuplicatePairs.of(data(prefs), prefs.size(), 3, 2)).isEqualTo(expected);
    }

    @Test
    void withoutRepeatsEveryRowIsDistinctAndPhaseTwoFindsNoCandidates() {
        List<Pref> prefs = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            // "q1" + "0" vs "q" + "10": the boundary-shifted texts are different pairs, not repeats
            prefs.add(new Pref("q" + i, Integer.toString(i % 10), "r" + i, i % 3 == 0 ? 0.0 : 1.0));
        }
        assertThat(expected(prefs)).isEqualTo(new DuplicatePairs(500, 500, 0));
        assertThat(DuplicatePairs.of(data(prefs), prefs.size())).isEqualTo(new DuplicatePairs(500, 500, 0));
        // with colliding keys the candidates are all false: phase 2 still counts every row as its own pair
        assertThat(DuplicatePairs.of(data(prefs), prefs.size(), 4, DuplicatePairs.MAX_COLLECTED_KEYS))
                .isEqualTo(new DuplicatePairs(500, 500, 0));
    }
}
