package io.alignloss.lm;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;

/**
 * Up to {@link #ROWS} tokenised rows cached together: each row's sequence {@code x ++ y ++ END} in one int
 * array, with its prompt length, weight and row hash (for seeded mini-batches).
 */
public final class SequenceBlock implements Serializable {
    public static final int ROWS = 1024;

    final int[] tokens;
    /** Row r's sequence is tokens[start[r] .. start[r+1]). */
    final int[] start;
    final int[] promptLength;
    final double[] weight;
    final long[] hash;

    SequenceBlock(int[] tokens, int[] start, int[] promptLength, double[] weight, long[] hash) {
        this.tokens = tokens;
        this.start = start;
        this.promptLength = promptLength;
        this.weight = weight;
        this.hash = hash;
    }

    public int size() {
        return weight.length;
    }

    /** Bytes held by the arrays. */
    public long bytes() {
        return 4L * tokens.length + 4L * start.length + 4L * promptLength.length + 8L * weight.length + 8L * hash.length;
    }

    /** Row r's sequence x ++ y ++ END (a copy). */
    public int[] sequence(int row) {
        return Arrays.copyOfRange(tokens, start[row], start[row + 1]);
    }

    public int promptLength(int row) {
        return promptLength[row];
    }

    /** One tokenised row. */
    public record Row(int[] prompt, int[] response, double weight, long hash) implements Serializable {
    }

    /** Packs rows into blocks of at most {@link #ROWS}. */
    public static Iterator<SequenceBlock> pack(Iterator<Row> rows) {
        List<SequenceBlock> blocks = new ArrayList<>();
        List<Row> pending = new ArrayList<>(ROWS);
        while (rows.hasNext()) {
            pending.add(rows.next());
            if (pending.size() == ROWS) {
                blocks.add(of(pending));
                pending.clear();
            }
        }
        if (!pending.isEmpty()) {
            blocks.add(of(pending));
        }
        return blocks.iterator();
    }

    public static SequenceBlock of(List<Row> rows) {
        int total = 0;
        for (Row row : rows) {
            total += row.prompt().length + row.response().length + 1;
        }
        int[] tokens = new int[total];
        int[] start = new int[rows.size() + 1];
        int[] promptLength = new int[rows.size()];
        double[] weight = new double[rows.size()];
        long[] hash = new long[rows.size()];
        int at = 0;
        for (int r = 0; r < rows.size(); r++) {
            Row row = rows.get(r);
            start[r] = at;
            int[] sequence = LanguageModel.sequence(row.prompt(), row.response());
            System.arraycopy(sequence, 0, tokens, at, sequence.length);
            at += sequence.length;
            promptLength[r] = row.prompt().length;
            weight[r] = row.weight();
            hash[r] = row.hash();
        }
        start[rows.size()] = at;
        return new SequenceBlock(tokens, start, promptLength, weight, hash);
    }
}
