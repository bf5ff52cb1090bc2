package io.iotbench.model.support;

import java.lang.management.ManagementFactory;
import java.time.Duration;

/** CPU time used so far by this JVM or by another process, for benchmark reports. */
public final class CpuTime {

  private CpuTime() {}

  /** CPU time of this JVM so far, in nanoseconds (0 where the JVM does not tell). */
  public static long processNanos() {
    if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
      return Math.max(0, os.getProcessCpuTime());
    }
    return 0;
  }

  /** CPU time of {@code process} so far, in nanoseconds (0 where the system does not tell). */
  public static long processNanos(ProcessHandle process) {
    return process.info().totalCpuDuration().map(Duration::toNanos).orElse(0L);
  }
}
