package io.alignloss.testing;

import com.fasterxml.jackson.core.type.TypeReference;
import io.alignloss.summary.RunSummary;
import io.alignloss.summary.SummaryJson;

import java.util.Map;

/**
 * A {@link RunSummary} as the nested maps summary.json holds (in memory the numbers keep their Java types: counts
 * are {@code Long}, figures {@code Double}), for tests that check many figures of one block by name.
 */
public final class SummaryMaps {
    private SummaryMaps() {
    }

    public static Map<String, Object> of(RunSummary summary) {
        return SummaryJson.convert(summary, new TypeReference<Map<String, Object>>() { });
    }
}
