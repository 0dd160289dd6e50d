/**
 * The distributed evaluation of a training loss on Spark: {@link io.alignloss.optim.spark.DistributedLoss}
 * (broadcast → per-partition aggregator → {@code treeReduce} → regulariser → destroy), and
 * {@link io.alignloss.optim.spark.DistributedTrainingLoss}, the base of the reward-model, policy and language-model
 * losses that forwards {@code TrainingLoss} to it.
 * <p>
 * It is kept apart from {@code io.alignloss.optim}, whose optimisers, aggregator and regulariser interfaces stay
 * free of Spark so they run and test without a session. It sits in a sub-package of {@code optim}, not in a
 * {@code train} package, because the losses built on it live in {@code model} and {@code lm}, which in the
 * intended package order (… → {objective, train, leaderboard} → {features, lm} → optim, data, config, error)
 * lie below {@code train}: {@code lm} importing {@code train} would close a cycle once the trainers move there.
 */
package io.alignloss.optim.spark;
