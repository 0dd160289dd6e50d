package io.alignloss.diagnostics;

import io.alignloss.stats.LossStats;

import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * The loss statistics of the rows of one group-value combination ({@code key}, in group-column order) that
 * fall in one resampling bucket.
 */
public record Cell(List<String> key, int bucket, LossStats stats) {
    public Cell {
        key = List.copyOf(key);
        requireNonNull(stats, "stats is null");
    }
}
