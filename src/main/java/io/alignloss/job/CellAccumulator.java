package io.alignloss.job;

import io.alignloss.stats.Resampling;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.unsafe.types.UTF8String;
import scala.Tuple2;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Accumulates one partition's cells: per combination of group values, the counts and sums of every
 * resampling bucket in one buffer, so the hash lookup is keyed by the group values alone (a handful of keys)
 * and the bucket is an array index. Spark's keyed hash aggregation over groups × buckets keys cost ~40% of the
 * scan; here the bucket costs its hash and a random cell per row.
 *
 * <p>Reads the projected rows of {@link InputAggregation} by ordinal: group values (strings, never null),
 * the bucket hash (long), accepted (boolean; null counts as rejected), then the value columns as doubles (may be
 * null). A sum skips a product with a null factor, as Spark's {@code sum} skips a null.
 *
 * <p>When asked to count clusters it also keeps the distinct bucket hashes of the accepted rows
 * ({@link DistinctHashes}) and sends them per bucket next to the cells: {@link ScanKey} tells a group's cells from a
 * bucket's hashes in the one {@code reduceByKey}, which collects each bucket's hashes ({@link ClusterHashes#merge})
 * and counts the distinct ones ({@link ClusterHashes#collected}).
 */
final class CellAccumulator implements Serializable {
    private static final long serialVersionUID = 1L;
    /** Counts per bucket: rows accepted (rows read and rejected are counted per group, not per bucket). */
    static final int COUNTS = 1;
    /** Counts at the head of a group's buffer: rows read, rows rejected. */
    private static final int HEAD = 2;

    private final int groups;
    private final int weight;
    private final int[] numerators;
    private final int[] denominators;
    private final int[][] extras;
    private final int sumsPerCell;
    private final int maxGroups;
    private final boolean countClusters;

    /**
     * @param groups       number of group columns (ordinals 0 .. groups − 1; then bucket hash, accepted; a
     *                     constant hash 0 puts every row in bucket 0)
     * @param weight       ordinal of the weight column, or −1 for w = 1
     * @param numerators   per objective, ordinal of the loss numerator y
     * @param denominators per objective, ordinal of the loss denominator x, or −1 for x = 1
     * @param extras       per objective, ordinals of its named sums
     * @param maxGroups    most group-value combinations a partition may hold before it stops with an overflow
     * @param countClusters whether to collect the distinct bucket hashes of the accepted rows (one per cluster)
     */
    CellAccumulator(int groups, int weight, int[] numerators, int[] denominators, int[][] extras, int maxGroups,
                    boolean countClusters) {
        this.groups = groups;
        this.weight = weight;
        this.numerators = numerators.clone();
        this.denominators = denominators.clone();
        this.extras = extras.clone();
        int size = 0;
        for (int[] objectiveExtras : extras) {
            size += CoreSlots.SIZE + objectiveExtras.length;
        }
        this.sumsPerCell = size;
        this.maxGroups = maxGroups;
        this.countClusters = countClusters;
    }

    /** Doubles per cell: the counts, then every objective's sums. */
    int cellSize() {
        return COUNTS + sumsPerCell;
    }

    /** The first slot of objective o's sums, after the counts. */
    int offset(int objective) {
        int offset = 0;
        for (int o = 0; o < objective; o++) {
            offset += CoreSlots.SIZE + extras[o].length;
        }
        return offset;
    }

    /** Slots of one objective's core sums, relative to its offset. */
    static final class CoreSlots {
        static final int W = 0;
        static final int WX = 1;
        static final int WY = 2;
        static final int W2X2 = 3;
        static final int W2XY = 4;
        static final int W2Y2 = 5;
        static final int SIZE = 6;

        private CoreSlots() {
        }
    }

    /**
     * The key of what a partition sends: a group-value combination's cells ({@code bucket = -1}), or one bucket's
     * distinct cluster hashes ({@code group} empty).
     */
    record ScanKey(List<String> group, int bucket) implements Serializable {
        static ScanKey cells(List<String> group) {
            return new ScanKey(group, -1);
        }

        static ScanKey clusters(int bucket) {
            return new ScanKey(List.of(), bucket);
        }

        boolean isClusters() {
            return bucket >= 0;
        }
    }

    /** What a partition sends under a {@link ScanKey}; two parts under one key merge. */
    sealed interface Part extends Serializable permits GroupCells, ClusterHashes, ClusterCount {
        /** The merge of two parts sent under one key (so of one kind); may return {@code a}, changed. */
        static Part merge(Part a, Part b) {
            if (a instanceof GroupCells cells) {
                return cells.merge((GroupCells) b);
            }
            if (a instanceof ClusterHashes hashes) {
                return hashes.merge((ClusterHashes) b);
            }
            throw new IllegalStateException("a collected cluster count is not merged");
        }

        /** What the driver needs of a merged part: the cells; of a bucket's hashes only their count. */
        Part collected();
    }

    /**
     * One bucket's cluster hashes as the partitions sent them ({@link DistinctHashes#bucket}: each partition's
     * distinct hashes, some perhaps repeated, in no order), kept as one chunk per partition. A merge appends the other
     * part's chunks to this one's list and returns this part, as Spark lets a reduce function change and return its
     * first argument, so uniting k partitions' hashes appends k chunks: the sorted unions this replaced copied the
     * bucket's growing array once per partition merged. The distinct hashes are counted once, on the reduce side,
     * by one sort of the chunks' concatenation ({@link HashSort}).
     */
    static final class ClusterHashes implements Part {
        private static final long serialVersionUID = 1L;
        private final ArrayList<long[]> chunks;

        private ClusterHashes(ArrayList<long[]> chunks) {
            this.chunks = chunks;
        }

        /** One partition's hashes of one bucket. */
        static ClusterHashes of(long[] hashes) {
            ArrayList<long[]> chunks = new ArrayList<>();
            chunks.add(hashes);
            return new ClusterHashes(chunks);
        }

        /** Appends the other part's chunks to this one's; returns this part. */
        ClusterHashes merge(ClusterHashes other) {
            chunks.addAll(other.chunks);
            return this;
        }

        /** The number of distinct hashes over all chunks. */
        long distinct() {
            long total = 0;
            for (long[] chunk : chunks) {
                total += chunk.length;
            }
            long[] all = new long[Math.toIntExact(total)];
            int at = 0;
            for (long[] chunk : chunks) {
                System.arraycopy(chunk, 0, all, at, chunk.length);
                at += chunk.length;
            }
            return new HashSort().sortDistinct(all, all.length);
        }

        @Override
        public ClusterCount collected() {
            return new ClusterCount(distinct());
        }
    }

    /**
     * The number of one bucket's distinct cluster hashes, what the driver receives: every cluster lies in one bucket,
     * so the buckets' counts add up to the clusters.
     */
    record ClusterCount(long count) implements Part {
        @Override
        public ClusterCount collected() {
            return this;
        }
    }

    /**
     * One group-value combination's rows read and rejected, and its non-empty cells: their buckets, ascending,
     * and for each its accepted count and sums, packed side by side ({@code cellSize} doubles a cell). A
     * partition sends one of these per group, not one record per cell.
     */
    record GroupCells(long rows, long rejected, int cellSize, int[] buckets, double[] cells) implements Part {
        /** A marker for a partition that met more group-value combinations than allowed. */
        static GroupCells overflow() {
            return new GroupCells(0, 0, 0, new int[]{-1}, new double[0]);
        }

        boolean overflowed() {
            return buckets.length > 0 && buckets[0] < 0;
        }

        /** The union of two groups' cells, adding the counts, and the cells of a bucket both have. */
        GroupCells merge(GroupCells other) {
            if (overflowed() || other.overflowed()) {
                return overflow();
            }
            int[] mergedBuckets = new int[buckets.length + other.buckets.length];
            double[] merged = new double[mergedBuckets.length * cellSize];
            int i = 0;
            int j = 0;
            int k = 0;
            while (i < buckets.length || j < other.buckets.length) {
                boolean takeMine = j == other.buckets.length || (i < buckets.length && buckets[i] <= other.buckets[j]);
                boolean takeOther = i == buckets.length || (j < other.buckets.length && other.buckets[j] <= buckets[i]);
                mergedBuckets[k] = takeMine ? buckets[i] : other.buckets[j];
                if (takeMine) {
                    System.arraycopy(cells, i++ * cellSize, merged, k * cellSize, cellSize);
                }
                if (takeOther) {
                    int from = j++ * cellSize;
                    for (int s = 0; s < cellSize; s++) {
                        merged[k * cellSize + s] += other.cells[from + s];
                    }
                }
                k++;
            }
            return new GroupCells(rows + other.rows, rejected + other.rejected, cellSize, Arrays.copyOf(mergedBuckets, k),
                    Arrays.copyOf(merged, k * cellSize));
        }

        @Override
        public GroupCells collected() {
            return this;
        }
    }

    /**
     * One group-value combination's buffer: rows read and rejected, then for each bucket its accepted count
     * (exact as a double below 2^53) and its sums, side by side so a row touches one or two cache lines.
     */
    private double[] newGroup() {
        return new double[HEAD + Resampling.BUCKETS * cellSize()];
    }

    /** Group values as a hash key; the probe reuses one instance, stored keys hold copies. */
    private static final class GroupKey {
        final UTF8String[] values;
        int hash;

        GroupKey(int size) {
            values = new UTF8String[size];
        }

        void rehash() {
            hash = Arrays.hashCode(values);
        }

        GroupKey copy() {
            GroupKey copy = new GroupKey(values.length);
            for (int i = 0; i < values.length; i++) {
                copy.values[i] = values[i].copy();
            }
            copy.hash = hash;
            return copy;
        }

        @Override
        public int hashCode() {
            return hash;
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof GroupKey key && Arrays.equals(values, key.values);
        }
    }

    /** Accumulates a partition's rows and returns its non-empty cells, then (if asked) its cluster hashes by bucket. */
    Iterator<Tuple2<ScanKey, Part>> accumulate(Iterator<InternalRow> rows) {
        Map<GroupKey, double[]> table = new HashMap<>();
        GroupKey probe = new GroupKey(groups);
        double[] single = groups == 0 ? newGroup() : null;
        if (single != null) {
            table.put(probe, single);
        }
        int cellSize = cellSize();
        int hashOrdinal = groups;
        int acceptedOrdinal = groups + 1;
        DistinctHashes clusters = countClusters ? new DistinctHashes() : null;
        while (rows.hasNext()) {
            InternalRow row = rows.next();
            long hash = row.getLong(hashOrdinal);
            int cell = HEAD + Resampling.bucketOf(hash) * cellSize;
            double[] group = single;
            if (group == null) {
                for (int g = 0; g < groups; g++) {
                    probe.values[g] = row.getUTF8String(g);
                }
                probe.rehash();
                group = table.get(probe);
                if (group == null) {
                    if (table.size() >= maxGroups) {
                        return List.of(new Tuple2<ScanKey, Part>(ScanKey.cells(List.of()), GroupCells.overflow())).iterator();
                    }
                    group = newGroup();
                    table.put(probe.copy(), group);
                }
            }
            group[0]++;
            // a null verdict is a rejection (rule_error), as in PreparedInput.accepted(): rows read = accepted + rejected
            if (row.isNullAt(acceptedOrdinal) || !row.getBoolean(acceptedOrdinal)) {
                group[1]++;
                continue;
            }
            group[cell]++;
            add(row, group, cell + COUNTS);
            if (clusters != null) {
                clusters.add(hash);
            }
        }
        List<Tuple2<ScanKey, Part>> parts = cells(table);
        if (clusters != null) {
            for (int b = 0; b < Resampling.BUCKETS; b++) {
                long[] hashes = clusters.bucket(b);
                if (hashes.length > 0) {
                    parts.add(new Tuple2<>(ScanKey.clusters(b), ClusterHashes.of(hashes)));
                }
            }
        }
        return parts.iterator();
    }

    // per objective: Σw, Σw·x, Σw·y, Σw²·x², Σw²·x·y, Σw²·y², and Σ of each named sum
    private void add(InternalRow row, double[] buffer, int start) {
        boolean hasWeight = weight < 0 || !row.isNullAt(weight);
        double w = weight < 0 ? 1.0 : hasWeight ? row.getDouble(weight) : 0.0;
        int offset = start;
        for (int o = 0; o < numerators.length; o++) {
            int xOrdinal = denominators[o];
            boolean hasX = xOrdinal < 0 || !row.isNullAt(xOrdinal);
            double x = xOrdinal < 0 ? 1.0 : hasX ? row.getDouble(xOrdinal) : 0.0;
            boolean hasY = !row.isNullAt(numerators[o]);
            double y = hasY ? row.getDouble(numerators[o]) : 0.0;
            double w2 = w * w;
            if (hasWeight) {
                buffer[offset + CoreSlots.W] += w;
                if (hasX) {
                    buffer[offset + CoreSlots.WX] += w * x;
                    buffer[offset + CoreSlots.W2X2] += w2 * (x * x);
                }
                if (hasY) {
                    buffer[offset + CoreSlots.WY] += w * y;
                    buffer[offset + CoreSlots.W2Y2] += w2 * (y * y);
                }
                if (hasX && hasY) {
                    buffer[offset + CoreSlots.W2XY] += w2 * (x * y);
                }
            }
            int[] named = extras[o];
            for (int s = 0; s < named.length; s++) {
                if (!row.isNullAt(named[s])) {
                    buffer[offset + CoreSlots.SIZE + s] += row.getDouble(named[s]);
                }
            }
            offset += CoreSlots.SIZE + named.length;
        }
    }

    private List<Tuple2<ScanKey, Part>> cells(Map<GroupKey, double[]> table) {
        int cellSize = cellSize();
        List<Tuple2<ScanKey, Part>> groupCells = new ArrayList<>();
        for (Map.Entry<GroupKey, double[]> entry : table.entrySet()) {
            List<String> key = new ArrayList<>(groups);
            for (UTF8String value : entry.getKey().values) {
                key.add(value.toString());
            }
            double[] group = entry.getValue();
            int[] buckets = new int[Resampling.BUCKETS];
            double[] cells = new double[group.length];
            int present = 0;
            for (int b = 0; b < Resampling.BUCKETS; b++) {
                int cell = HEAD + b * cellSize;
                if (group[cell] > 0) {
                    System.arraycopy(group, cell, cells, present * cellSize, cellSize);
                    buckets[present++] = b;
                }
            }
            groupCells.add(new Tuple2<>(ScanKey.cells(List.copyOf(key)), new GroupCells((long) group[0], (long) group[1], cellSize,
                    Arrays.copyOf(buckets, present), Arrays.copyOf(cells, present * cellSize))));
        }
        return groupCells;
    }
}
