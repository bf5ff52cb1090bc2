/**
 * Small helpers every module of the project shares, written once: recursive delete ({@link
 * io.iotbench.model.support.Folders}), medians and percentiles ({@link io.iotbench.model.support.Stats}), CPU time
 * ({@link io.iotbench.model.support.CpuTime}) and child-process supervision ({@link
 * io.iotbench.model.support.ChildProcess}). They live in the lowest module so that the pipelines, the simulator, the
 * runners and the integration tests all see them; none depends on Beam or Spark.
 */
package io.iotbench.model.support;
