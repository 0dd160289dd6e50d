package io.alignloss.synth;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Good rows followed by rows that break each row rule of a data contract. */
final class BadRows {
    private BadRows() {
    }

    static List<Row> badPreferences(int good, long seed) {
        List<Row> rows = new ArrayList<>(PreferenceSamples.preferences(good, seed));
        Object[] base = values(rows.get(0));
        rows.add(with(base, "bad-001", 1, null));                      // missing_text: null prompt
        rows.add(with(base, "bad-002", 2, ""));                        // missing_text: empty chosen
        rows.add(with(base, "bad-003", 4, Double.NaN));                // bad_score: NaN
        rows.add(with(base, "bad-004", 5, null));                      // bad_score: null
        rows.add(with(base, "bad-005", 4, Double.POSITIVE_INFINITY));  // bad_score: +Inf
        rows.add(with(base, "bad-006", 6, 1.5));                       // bad_label: above 1
        rows.add(with(base, "bad-007", 6, Double.NaN));                // bad_label: NaN
        rows.add(with(base, "bad-008", 7, -1.0));                      // bad_weight: negative
        rows.add(with(base, "bad-009", 7, Double.NaN));                // bad_weight: NaN
        rows.add(with(base, "bad-010", 8, Double.NaN));                // bad_score: utility column NaN
        Object[] twice = values(with(base, "bad-011", 3, ""));
        rows.add(with(twice, "bad-011", 5, Double.NEGATIVE_INFINITY)); // missing_text and bad_score
        return rows;
    }

    static List<Row> badSequences(int good, long seed) {
        List<Row> rows = new ArrayList<>(SequenceSamples.sequences(good, seed));
        Object[] base = values(rows.get(0));
        rows.add(with(base, "bad-101", 2, ""));                                        // missing_text
        rows.add(with(base, "bad-102", 4, null));                                      // missing_logprobs
        rows.add(with(base, "bad-103", 4, List.of()));                                 // empty_response_logprobs
        rows.add(with(base, "bad-104", 4, Arrays.asList(-0.5, null, -1.0)));           // null_logprob in response
        rows.add(with(base, "bad-105", 3, Arrays.asList(null, -0.5, null, -1.0)));     // null_logprob after first prompt token
        rows.add(with(base, "bad-106", 4, Arrays.asList(-0.5, 0.25)));                 // bad_logprob: > 0
        rows.add(with(base, "bad-107", 4, Arrays.asList(-0.5, Double.NaN)));           // bad_logprob: NaN
        rows.add(with(base, "bad-108", 3, Arrays.asList(null, Double.NEGATIVE_INFINITY))); // bad_logprob: -Inf
        rows.add(with(base, "bad-109", 5, -2.0));                                      // bad_weight
        rows.add(with(base, "bad-110", 6, Double.NaN));                                // bad_score (utility column)
        return rows;
    }

    private static Object[] values(Row row) {
        Object[] values = new Object[row.length()];
        for (int i = 0; i < values.length; i++) {
            values[i] = row.get(i);
        }
        return values;
    }

    private static Row with(Object[] base, String id, int index, Object value) {
        Object[] values = base.clone();
        values[0] = id;
        values[index] = value;
        return RowFactory.create(values);
    }
}
