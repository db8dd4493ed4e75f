package io.glmvoicebatch.pipeline;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/**
 * How the worker JVMs of a cluster share the cap and the budget: they configure {@link ClusterSlots} and the
 * per-worker shares of the cap and {@link Budget}.
 * Part of {@link VoiceBatchOptions}; each description's [tag] is its group in {@code --help}.
 */
public interface ClusterOptions extends PipelineOptions {
  @Description("[api] Worker JVMs the batch runs on (TaskManagers, executors). Above 1, the workers share the "
      + "account's cap through lease files in the output folder (.slots/), so whichever workers have work use the whole "
      + "cap (on an object-store --outputDir each JVM holds floor(cap / clusterWorkers) instead), and each JVM holds "
      + "1/clusterWorkers of --maxCostRmb. 1 for Direct, Flink [local] and Spark local[N], which run in one JVM.")
  @Default.Integer(1)
  Integer getClusterWorkers();

  void setClusterWorkers(Integer value);

  @Description("[api] With --clusterWorkers above 1: a worker's slot lease not renewed for this many seconds (its "
      + "worker died) is taken over by the others. Its live holder renews it every quarter of this time.")
  @Default.Integer(60)
  Integer getSlotLeaseSeconds();

  void setSlotLeaseSeconds(Integer value);
}
