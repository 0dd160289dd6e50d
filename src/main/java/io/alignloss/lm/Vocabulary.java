package io.alignloss.lm;

import io.alignloss.text.Tokens;

import java.io.Serializable;
import java.util.Arrays;
import java.util.Map;

import static java.lang.String.format;

/**
 * The two-level (class-factored) output vocabulary of the language model over all {@link Tokens#OUTCOMES}.
 * The tokens kept from training (seen at least {@code min-count} times) are split into classes by frequency
 * (Mikolov et al. 2011: each class holds about the same share of the training tokens, so frequent tokens sit in
 * small classes); one more class, the <em>rare</em> class, holds every other id and spreads its mass evenly:
 * <pre>
 *   Pr(w | h) = Pr(c(w) | h) · Pr(w | c(w), h)        for a kept token w
 *   Pr(w | h) = Pr(rare | h) / (OUTCOMES − kept)       for any other id
 * </pre>
 * Every id is in exactly one class, so the probabilities of all ids sum to 1 exactly.
 *
 * @param kept       kept token ids, grouped by class, most frequent first
 * @param classStart class c holds {@code kept[classStart[c] .. classStart[c+1])}; length = classes + 1
 */
public record Vocabulary(int[] kept, int[] classStart) implements Serializable {
    public Vocabulary {
        if (classStart.length < 2 || classStart[0] != 0 || classStart[classStart.length - 1] != kept.length) {
            throw new IllegalArgumentException(format("Invalid vocabulary: class starts %s for %d kept tokens",
                    Arrays.toString(Arrays.copyOf(classStart, Math.min(classStart.length, 10))), kept.length));
        }
        for (int c = 0; c + 1 < classStart.length; c++) {
            if (classStart[c + 1] <= classStart[c]) {
                throw new IllegalArgumentException(format("Invalid vocabulary: class %d is empty", c));
            }
        }
        if (kept.length >= Tokens.OUTCOMES) {
            throw new IllegalArgumentException("Invalid vocabulary: every id is kept, the rare class would be empty");
        }
    }

    /** Classes of kept tokens (the rare class is index {@code classes()}). */
    public int classes() {
        return classStart.length - 1;
    }

    /** Classes including the rare class. */
    public int outputClasses() {
        return classes() + 1;
    }

    public int keptCount() {
        return kept.length;
    }

    /** Ids in the rare class. */
    public int rareCount() {
        return Tokens.OUTCOMES - kept.length;
    }

    /** For each id: its index in {@link #kept}, or −1 (rare). Built where it is needed, never shipped. */
    public int[] positions() {
        int[] positions = new int[Tokens.OUTCOMES];
        Arrays.fill(positions, -1);
        for (int k = 0; k < kept.length; k++) {
            positions[kept[k]] = k;
        }
        return positions;
    }

    /** For each kept index: its class. */
    public int[] classOfKept() {
        int[] classes = new int[kept.length];
        for (int c = 0; c < classes(); c++) {
            Arrays.fill(classes, classStart[c], classStart[c + 1], c);
        }
        return classes;
    }

    /**
     * Keeps the ids counted at least {@code minCount} times and bins them, most frequent first, into about
     * {@code classes} classes of equal token share (0 = ⌈√kept⌉); ties in count go to the smaller id.
     */
    public static Vocabulary fromCounts(Map<Integer, Long> counts, long minCount, int classes) {
        int[] kept = counts.entrySet().stream().filter(e -> e.getValue() >= minCount && e.getKey() >= 0 && e.getKey() < Tokens.OUTCOMES)
                .sorted((a, b) -> a.getValue().equals(b.getValue()) ? Integer.compare(a.getKey(), b.getKey()) : Long.compare(b.getValue(), a.getValue()))
                .mapToInt(Map.Entry::getKey).toArray();
        if (kept.length == 0) {
            throw new IllegalArgumentException(format("No token occurs at least %d times: nothing to keep in the vocabulary", minCount));
        }
        int target = classes > 0 ? Math.min(classes, kept.length) : (int) Math.ceil(Math.sqrt(kept.length));
        double total = 0;
        for (int id : kept) {
            total += counts.get(id);
        }
        // class of the k-th token = ⌊share of tokens before it · classes⌋, then empty classes are dropped
        int[] starts = new int[kept.length + 1];
        int used = 0;
        int previous = -1;
        double before = 0;
        for (int k = 0; k < kept.length; k++) {
            int c = Math.min(target - 1, (int) Math.floor(before / total * target));
            if (c != previous) {
                starts[used++] = k;
                previous = c;
            }
            before += counts.get(kept[k]);
        }
        starts[used] = kept.length;
        return new Vocabulary(kept, Arrays.copyOf(starts, used + 1));
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Vocabulary that && Arrays.equals(kept, that.kept) && Arrays.equals(classStart, that.classStart);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(kept) + Arrays.hashCode(classStart);
    }

    @Override
    public String toString() {
        return format("Vocabulary[%d kept tokens in %d classes, %d rare ids]", kept.length, classes(), rareCount());
    }
}
