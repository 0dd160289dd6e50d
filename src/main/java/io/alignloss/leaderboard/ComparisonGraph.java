package io.alignloss.leaderboard;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * Which models have a finite maximum-likelihood strength without L2. A model with no losses (ties count half a
 * loss) has θ → +∞, one with no wins θ → −∞ (Zermelo 1929; Ford 1957). Such models are peeled off and the test is
 * repeated on the battles among the rest, since a model whose only losses were to a peeled winner is unbounded
 * in turn. What remains has a finite MLE if its "beat" graph (an edge a → b when a beat b, both ways for a tie)
 * is strongly connected; {@link #stronglyConnected} checks that.
 */
final class ComparisonGraph {
    /**
     * Where a model's rating is: finite; unbounded above or below; or isolated, when all its battles (if any) were
     * against unbounded models, so nothing finite pins it down.
     */
    enum Bound {
        FINITE, ABOVE, BELOW, ISOLATED
    }

    private ComparisonGraph() {
    }

    static Bound[] bounds(Comparisons data) {
        int n = data.modelCount();
        Bound[] bounds = new Bound[n];
        java.util.Arrays.fill(bounds, Bound.FINITE);
        boolean changed = true;
        while (changed) {
            changed = false;
            // half-win counts among the models still finite: wins + ½ ties and losses + ½ ties
            double[] wins = new double[n];
            double[] losses = new double[n];
            for (int k = 0; k < data.size(); k++) {
                int a = data.a[k];
                int b = data.b[k];
                if (bounds[a] != Bound.FINITE || bounds[b] != Bound.FINITE || data.count[k] == 0) {
                    continue;
                }
                wins[a] += data.count[k] * data.y[k];
                losses[a] += data.count[k] * (1 - data.y[k]);
                wins[b] += data.count[k] * (1 - data.y[k]);
                losses[b] += data.count[k] * data.y[k];
            }
            for (int i = 0; i < n; i++) {
                if (bounds[i] != Bound.FINITE) {
                    continue;
                }
                Bound bound = wins[i] == 0 && losses[i] == 0 ? Bound.ISOLATED
                        : losses[i] == 0 ? Bound.ABOVE
                        : wins[i] == 0 ? Bound.BELOW
                        : Bound.FINITE;
                if (bound != Bound.FINITE) {
                    bounds[i] = bound;
                    changed = true;
                }
            }
        }
        return bounds;
    }

    /** Labels of the connected groups of models (models linked by any battle), numbered 0, 1, … in model order. */
    static int[] components(Comparisons data) {
        int n = data.modelCount();
        int[] parent = new int[n];
        for (int i = 0; i < n; i++) {
            parent[i] = i;
        }
        for (int k = 0; k < data.size(); k++) {
            if (data.count[k] > 0) {
                parent[root(parent, data.a[k])] = root(parent, data.b[k]);
            }
        }
        int[] labels = new int[n];
        int[] labelOfRoot = new int[n];
        java.util.Arrays.fill(labelOfRoot, -1);
        int next = 0;
        for (int i = 0; i < n; i++) {
            int root = root(parent, i);
            if (labelOfRoot[root] < 0) {
                labelOfRoot[root] = next++;
            }
            labels[i] = labelOfRoot[root];
        }
        return labels;
    }

    private static int root(int[] parent, int i) {
        while (parent[i] != i) {
            parent[i] = parent[parent[i]];
            i = parent[i];
        }
        return i;
    }

    /** True when, within each connected group, every model can reach every other along "beat" edges. */
    static boolean stronglyConnected(Comparisons data) {
        int n = data.modelCount();
        List<List<Integer>> forward = new ArrayList<>();
        List<List<Integer>> backward = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            forward.add(new ArrayList<>());
            backward.add(new ArrayList<>());
        }
        for (int k = 0; k < data.size(); k++) {
            if (data.count[k] == 0) {
                continue;
            }
            if (data.y[k] > 0) {
                forward.get(data.a[k]).add(data.b[k]);
                backward.get(data.b[k]).add(data.a[k]);
            }
            if (data.y[k] < 1) {
                forward.get(data.b[k]).add(data.a[k]);
                backward.get(data.a[k]).add(data.b[k]);
            }
        }
        int[] labels = components(data);
        int[] sizes = new int[n];
        for (int label : labels) {
            sizes[label]++;
        }
        boolean[] checked = new boolean[n];
        for (int i = 0; i < n; i++) {
            if (!checked[labels[i]]) {
                checked[labels[i]] = true;
                if (reached(forward, i) != sizes[labels[i]] || reached(backward, i) != sizes[labels[i]]) {
                    return false;
                }
            }
        }
        return true;
    }

    private static int reached(List<List<Integer>> edges, int start) {
        boolean[] seen = new boolean[edges.size()];
        Deque<Integer> queue = new ArrayDeque<>();
        queue.add(start);
        seen[start] = true;
        int reached = 1;
        while (!queue.isEmpty()) {
            for (int next : edges.get(queue.poll())) {
                if (!seen[next]) {
                    seen[next] = true;
                    reached++;
                    queue.add(next);
                }
            }
        }
        return reached;
    }
}
