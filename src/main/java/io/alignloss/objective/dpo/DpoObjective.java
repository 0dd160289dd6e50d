package io.alignloss.objective.dpo;

import io.alignloss.config.DpoLossType;
import io.alignloss.config.DpoOptions;
import io.alignloss.config.DpoReference;
import io.alignloss.config.ObjectiveConfig;
import io.alignloss.data.ColumnSpec;
import io.alignloss.data.ColumnType;
import io.alignloss.data.InputContract;
import io.alignloss.data.PreparedInput;
import io.alignloss.data.RowRule;
import io.alignloss.data.Rules;
import io.alignloss.objective.Objective;
import io.alignloss.output.PerExampleColumns;
import io.alignloss.stats.LossStats;
import org.apache.spark.sql.Column;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

/**
 * The DPO-family losses evaluated from logged summed response log-probabilities ({@code type = dpo}): per pair the
 * loss of {@link DpoLoss} ({@code sigmoid}, {@code robust}, {@code hinge}, {@code ipo}, {@code sigmoid_norm}), as
 * {@link DpoColumns} writes it; the objective's loss is the weighted mean {@code Σ w·ℓ / Σ w} over pairs, as for
 * {@code bradley-terry}. Its figures, named after TRL's {@code rewards/…} metrics, each with a bootstrap interval
 * from the run's resampling:
 * <pre>
 *   rewards_chosen              = Σ w·β(c − c₀) / Σ w
 *   rewards_rejected            = Σ w·β(r − r₀) / Σ w
 *   rewards_margin              = Σ w·βΔ / Σ w
 *   rewards_accuracy            = Σ w·[βΔ &gt; 0] / Σ w          (strict: a tie is wrong, as RewardBench counts it)
 *   both_rewards_negative_share = Σ w·[β(c − c₀) &lt; 0 ∧ β(r − r₀) &lt; 0] / Σ w
 * </pre>
 * With {@code reference = none} the reference terms c₀, r₀ are 0. The input's {@code label} must be 1 (a DPO pair
 * has a hard preference): any other label is a {@code bad_label} reject.
 */
public final class DpoObjective implements Objective {
    public static final String CHOSEN_LOGPS = "chosen_logps";
    public static final String REJECTED_LOGPS = "rejected_logps";
    public static final String REF_CHOSEN_LOGPS = "ref_chosen_logps";
    public static final String REF_REJECTED_LOGPS = "ref_rejected_logps";
    public static final String CHOSEN_TOKENS = "chosen_tokens";
    public static final String REJECTED_TOKENS = "rejected_tokens";

    static final String SUM_CHOSEN = "w_rewards_chosen";
    static final String SUM_REJECTED = "w_rewards_rejected";
    static final String SUM_MARGIN = "w_rewards_margin";
    static final String SUM_CORRECT = "w_correct";
    static final String SUM_BOTH_NEGATIVE = "w_both_negative";

    private final ObjectiveConfig config;
    private final DpoOptions options;

    public DpoObjective(ObjectiveConfig config) {
        this.config = config;
        this.options = config.optionsAs(DpoOptions.class);
    }

    @Override
    public ObjectiveConfig config() {
        return config;
    }

    public DpoOptions options() {
        return options;
    }

    private boolean logsReference() {
        return options.reference() == DpoReference.LOGGED;
    }

    /** The log-probability columns read: the policy's two, and the reference's two unless {@code reference = none}. */
    List<String> logprobColumns() {
        return logsReference() ? List.of(CHOSEN_LOGPS, REJECTED_LOGPS, REF_CHOSEN_LOGPS, REF_REJECTED_LOGPS)
                : List.of(CHOSEN_LOGPS, REJECTED_LOGPS);
    }

    /** The token-count columns read: both for the length-normalised loss types, none otherwise. */
    List<String> tokenColumns() {
        return options.lossType().lengthNormalised() ? List.of(CHOSEN_TOKENS, REJECTED_TOKENS) : List.of();
    }

    @Override
    public List<ColumnSpec> columns() {
        String who = "objective " + name() + " (dpo, loss-type " + options.lossType().configName() + ")";
        List<ColumnSpec> columns = new ArrayList<>();
        for (String column : logprobColumns()) {
            columns.add(ColumnSpec.required(column, ColumnType.DOUBLE, who));
        }
        for (String column : tokenColumns()) {
            columns.add(ColumnSpec.required(column, ColumnType.DOUBLE, who));
        }
        return columns;
    }

    /**
     * {@code bad_logprob}: a log-probability sum that is null, NaN, ±Inf or &gt; 0; {@code bad_tokens}: a token count
     * that is null, NaN, ±Inf or ≤ 0 (length-normalised types); {@code bad_label}: a label other than 1.
     */
    @Override
    public List<RowRule> rules() {
        List<RowRule> rules = new ArrayList<>();
        for (String column : logprobColumns()) {
            Column value = PreparedInput.column(column);
            rules.add(RowRule.of(RowRule.BAD_LOGPROB, Rules.notFinite(value).or(value.gt(0))));
        }
        for (String column : tokenColumns()) {
            Column value = PreparedInput.column(column);
            rules.add(RowRule.of(RowRule.BAD_TOKENS, Rules.notFinite(value).or(value.leq(0))));
        }
        rules.add(RowRule.of(RowRule.BAD_LABEL, col(InputContract.LABEL).notEqual(1.0)));
        return rules;
    }

    private Column refChosen() {
        return logsReference() ? PreparedInput.column(REF_CHOSEN_LOGPS) : lit(0.0);
    }

    private Column refRejected() {
        return logsReference() ? PreparedInput.column(REF_REJECTED_LOGPS) : lit(0.0);
    }

    // β·(c − c₀)
    Column chosenReward() {
        return DpoColumns.reward(options.beta(), PreparedInput.column(CHOSEN_LOGPS), refChosen());
    }

    // β·(r − r₀)
    Column rejectedReward() {
        return DpoColumns.reward(options.beta(), PreparedInput.column(REJECTED_LOGPS), refRejected());
    }

    // Δ = (c − c₀) − (r − r₀)
    Column delta() {
        return DpoColumns.delta(PreparedInput.column(CHOSEN_LOGPS), refChosen(), PreparedInput.column(REJECTED_LOGPS), refRejected());
    }

    // Δ̄ = (c − c₀)/n_c − (r − r₀)/n_r
    Column normalisedDelta() {
        return DpoColumns.normalisedDelta(PreparedInput.column(CHOSEN_LOGPS), refChosen(), PreparedInput.column(CHOSEN_TOKENS),
                PreparedInput.column(REJECTED_LOGPS), refRejected(), PreparedInput.column(REJECTED_TOKENS));
    }

    // βΔ
    Column margin() {
        return lit(options.beta()).multiply(delta());
    }

    Column loss() {
        return DpoColumns.loss(options.lossType(), options.beta(), options.labelSmoothing(),
                options.lossType().lengthNormalised() ? normalisedDelta() : delta());
    }

    Column correct() {
        return DpoColumns.correct(options.beta(), delta());
    }

    Column bothNegative() {
        return DpoColumns.bothNegative(chosenReward(), rejectedReward());
    }

    @Override
    public Map<String, Column> perExample() {
        Map<String, Column> figures = new LinkedHashMap<>();
        figures.put("chosen_reward", chosenReward());
        figures.put("rejected_reward", rejectedReward());
        figures.put("margin", margin());
        if (options.lossType().lengthNormalised()) {
            figures.put("normalised_delta", normalisedDelta());
        }
        figures.put(PerExampleColumns.WEIGHT, col(InputContract.WEIGHT));
        figures.put(PerExampleColumns.LOSS, loss());
        figures.put(PerExampleColumns.CORRECT, correct());
        figures.put("both_rewards_negative", bothNegative());
        return figures;
    }

    @Override
    public Column lossNumerator() {
        return loss();
    }

    @Override
    public Optional<Column> lossDenominator() {
        return Optional.empty();
    }

    @Override
    public Map<String, Column> sums() {
        Column weight = col(InputContract.WEIGHT);
        Map<String, Column> sums = new LinkedHashMap<>();
        sums.put(SUM_CHOSEN, weight.multiply(chosenReward()));
        sums.put(SUM_REJECTED, weight.multiply(rejectedReward()));
        sums.put(SUM_MARGIN, weight.multiply(margin()));
        sums.put(SUM_CORRECT, when(correct(), weight).otherwise(0.0));
        sums.put(SUM_BOTH_NEGATIVE, when(bothNegative(), weight).otherwise(0.0));
        return sums;
    }

    /** Adds one accepted pair's statistics as the scan does (its loss and sums): for tests and driver-side callers. */
    public LossStats add(LossStats stats, double weight, double chosen, double refChosen, double chosenTokens, double rejected,
            double refRejected, double rejectedTokens) {
        double beta = options.beta();
        double c0 = logsReference() ? refChosen : 0;
        double r0 = logsReference() ? refRejected : 0;
        double delta = DpoLoss.delta(chosen, c0, rejected, r0);
        double lossDelta = options.lossType().lengthNormalised()
                ? DpoLoss.normalisedDelta(chosen, c0, chosenTokens, rejected, r0, rejectedTokens) : delta;
        double chosenReward = DpoLoss.reward(beta, chosen, c0);
        double rejectedReward = DpoLoss.reward(beta, rejected, r0);
        return stats.add(weight, DpoLoss.loss(options.lossType(), beta, options.labelSmoothing(), lossDelta), 1)
                .addSum(SUM_CHOSEN, weight * chosenReward).addSum(SUM_REJECTED, weight * rejectedReward)
                .addSum(SUM_MARGIN, weight * (beta * delta))
                .addSum(SUM_CORRECT, DpoLoss.correct(beta, delta) ? weight : 0)
                .addSum(SUM_BOTH_NEGATIVE, DpoLoss.bothNegative(chosenReward, rejectedReward) ? weight : 0);
    }

    @Override
    public Map<String, Object> figures(LossStats stats) {
        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("loss_type", options.lossType().configName());
        figures.put("beta", options.beta());
        figures.putAll(resampledFigures(stats));
        return figures;
    }

    /** The TRL-named figures (see the class comment), each a weighted mean over pairs; NaN when the weights sum to 0. */
    @Override
    public Map<String, Double> resampledFigures(LossStats stats) {
        Map<String, Double> figures = new LinkedHashMap<>();
        figures.put("rewards_chosen", mean(stats, SUM_CHOSEN));
        figures.put("rewards_rejected", mean(stats, SUM_REJECTED));
        figures.put("rewards_margin", mean(stats, SUM_MARGIN));
        figures.put("rewards_accuracy", mean(stats, SUM_CORRECT));
        figures.put("both_rewards_negative_share", mean(stats, SUM_BOTH_NEGATIVE));
        return figures;
    }

    private static double mean(LossStats stats, String sum) {
        return stats.weightedMean(sum).orElse(Double.NaN);
    }

    @Override
    public String describe() {
        String loss = switch (options.lossType()) {
            case SIGMOID -> options.labelSmoothing() > 0 ? "-(1-eps)*log sigmoid(beta*D) - eps*log sigmoid(-beta*D)" : "-log sigmoid(beta*D)";
            case ROBUST -> "(-(1-eps)*log sigmoid(beta*D) + eps*log sigmoid(-beta*D)) / (1-2*eps)";
            case HINGE -> "max(0, 1 - beta*D)";
            case IPO -> "(Dn - 1/(2*beta))^2";
            case SIGMOID_NORM -> "-log sigmoid(beta*Dn)";
        };
        String reference = logsReference() ? "(chosen_logps - ref_chosen_logps) - (rejected_logps - ref_rejected_logps)"
                : "chosen_logps - rejected_logps (reference-free)";
        return String.format(Locale.ROOT, "DPO %s loss %s, D = %s%s; beta %s%s; weighted mean over pairs", options.lossType().configName(),
                loss, reference, options.lossType().lengthNormalised() ? ", Dn = D with each log-prob divided by its response's token count"
                        : "", options.beta(), options.lossType().smoothed() && options.labelSmoothing() > 0
                        ? ", eps " + options.labelSmoothing() : "");
    }
}
