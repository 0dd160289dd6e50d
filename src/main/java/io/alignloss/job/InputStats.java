package io.alignloss.job;

import io.alignloss.diagnostics.Cell;
import io.alignloss.stats.LossStats;

import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

import static java.util.Objects.requireNonNull;

/**
 * What one pass over an input found: rows read, rows rejected, and per objective the loss statistics of
 * each cell (a combination of group values; one cell with no values when the input has no group column).
 *
 * @param rows         rows read
 * @param rejected     rows that failed at least one rule
 * @param groupColumns the group columns of the cells, in cell-key order
 * @param cells        objective name → list of cells
 * @param clusters     the number of clusters the bootstrap resamples (distinct bucket hashes among the accepted
 *                     rows), when the scan counted them
 */
public record InputStats(long rows, long rejected, List<String> groupColumns, Map<String, List<Cell>> cells,
                         OptionalLong clusters) {
    public InputStats {
        groupColumns = List.copyOf(groupColumns);
        requireNonNull(cells, "cells is null");
        requireNonNull(clusters, "clusters is null");
    }

    /** Stats of a scan that did not count clusters. */
    public InputStats(long rows, long rejected, List<String> groupColumns, Map<String, List<Cell>> cells) {
        this(rows, rejected, groupColumns, cells, OptionalLong.empty());
    }


    public double rejectFraction() {
        return rows == 0 ? 0.0 : (double) rejected / rows;
    }

    /** The statistics of all cells of an objective together. */
    public LossStats total(String objective) {
        LossStats total = LossStats.empty();
        cells.getOrDefault(objective, List.of()).forEach(cell -> total.merge(cell.stats()));
        return total;
    }
}
