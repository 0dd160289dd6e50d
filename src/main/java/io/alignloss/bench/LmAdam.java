package io.alignloss.bench;

import io.alignloss.config.Regularization;
import io.alignloss.lm.LanguageModel;
import io.alignloss.lm.LmLoss;
import io.alignloss.lm.SequenceBlock;
import io.alignloss.optim.Adam;
import io.alignloss.optim.Lbfgs;
import io.alignloss.optim.OptimizerState;
import org.apache.spark.api.java.JavaRDD;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.LinkedHashMap;
import java.util.Map;

/** Adam mini-batch iterations as the train job runs them, timed. */
final class LmAdam {
    private static final Logger LOG = LoggerFactory.getLogger(LmBenchmark.class);
    /** The train job's Adam defaults (train.lr, train.batch-fraction). */
    private static final double ADAM_LR = 0.01;
    private static final double ADAM_BATCH_FRACTION = 0.1;

    /** {@code repeat × passes} Adam iterations at the train job's defaults (lr, mini-batch fraction), after one warm-up iteration. */
    static Map<String, Object> adam(JavaRDD<SequenceBlock> blocks, LanguageModel structure, double[] x, LmBenchmark.Settings settings) {
        LmLoss batches = new LmLoss(blocks, structure, false, Regularization.DEFAULT_L2, LmBenchmark.TREE_DEPTH, ADAM_BATCH_FRACTION,
                settings.seed());
        int iterations = settings.repeat() * settings.passes();
        Adam optimizer = new Adam(ADAM_LR, iterations + 1L);
        OptimizerState state = optimizer.step(optimizer.start(x, batches), batches).state();
        double tokens = 0;
        long start = System.nanoTime();
        while (!state.stopped()) {
            state = optimizer.step(state, batches).state();
            tokens += state.scalars().getOrDefault(Lbfgs.FIGURE + "tokens", 0.0);
        }
        double elapsed = BenchSupport.seconds(start);
        LOG.info("bench lm: {} Adam iterations in {} s", iterations, elapsed);
        Map<String, Object> adam = new LinkedHashMap<>();
        adam.put("iterations", iterations);
        adam.put("lr", ADAM_LR);
        adam.put("batch_fraction", ADAM_BATCH_FRACTION);
        adam.put("seconds_per_iteration", elapsed / iterations);
        adam.put("tokens_per_iteration", tokens / iterations);
        adam.put("tokens_per_second", tokens / elapsed);
        return adam;
    }


    private LmAdam() {
    }
}
