package io.iotbench.runners.serve;

import io.iotbench.model.support.Stats;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One timed phase of {@code bench-serve}: {@code connections} threads, each with its own kept-alive connection,
 * post bodies back to back (closed loop: a thread sends its next request when the answer to the previous one
 * arrived) for the warm-up and then for the measured span. Only requests sent and answered inside the measured
 * span count; their latencies are the time from the first byte written to the last byte read. An answer other than
 * 200, or one without a result, is an error.
 */
final class LoadPhase {
  /**
   * What the measured span gave.
   *
   * @param requests requests answered with a result
   * @param errors requests answered otherwise
   * @param seconds the measured span
   * @param p50Ms median latency
   * @param p99Ms 99th percentile latency
   */
  record Figures(long requests, long errors, double seconds, double p50Ms, double p99Ms) {
    double requestsPerSecond() {
      return requests / seconds;
    }
  }

  private static final byte[] RESULT = "\"result\"".getBytes(StandardCharsets.US_ASCII);

  private LoadPhase() {}

  static Figures run(String host, int port, String path, String accessKey, List<byte[]> bodies, int connections,
      Duration warmUp, Duration measured) throws IOException, InterruptedException {
    long start = System.nanoTime();
    long measureFrom = start + warmUp.toNanos();
    long measureTo = measureFrom + measured.toNanos();
    List<long[]> latencies = new ArrayList<>();
    long[] requests = new long[connections];
    long[] errors = new long[connections];
    AtomicReference<Exception> failure = new AtomicReference<>();
    CountDownLatch done = new CountDownLatch(connections);
    for (int c = 0; c < connections; c++) {
      int id = c;
      long[][] mine = {new long[1 << 16]};
      latencies.add(null);
      Thread t = new Thread(() -> {
        int n = 0;
        try (KeepAliveClient client = new KeepAliveClient(host, port, path, accessKey)) {
          int next = id;
          while (true) {
            long sent = System.nanoTime();
            if (sent >= measureTo) {
              break;
            }
            int status = client.post(bodies.get(next));
            long answered = System.nanoTime();
            next = (next + 1) % bodies.size();
            if (sent < measureFrom || answered > measureTo) {
              continue;
            }
            if (status != 200 || !contains(client.lastBody(), RESULT)) {
              errors[id]++;
              continue;
            }
            if (n == mine[0].length) {
              mine[0] = Arrays.copyOf(mine[0], n * 2);
            }
            mine[0][n++] = answered - sent;
          }
        } catch (IOException | RuntimeException e) {
          failure.compareAndSet(null, e);
        } finally {
          synchronized (latencies) {
            latencies.set(id, Arrays.copyOf(mine[0], n));
          }
          requests[id] = n;
          done.countDown();
        }
      }, "bench-serve-load-" + c);
      t.setDaemon(true);
      t.start();
    }
    done.await();
    if (failure.get() != null) {
      throw new IOException("a load connection failed: " + failure.get().getMessage(), failure.get());
    }
    List<Double> millis = new ArrayList<>();
    synchronized (latencies) {
      for (long[] values : latencies) {
        for (long v : values) {
          millis.add(v / 1e6);
        }
      }
    }
    long total = Arrays.stream(requests).sum();
    long failed = Arrays.stream(errors).sum();
    double p50 = millis.isEmpty() ? Double.NaN : Stats.percentile(millis, 50);
    double p99 = millis.isEmpty() ? Double.NaN : Stats.percentile(millis, 99);
    return new Figures(total, failed, measured.toNanos() / 1e9, p50, p99);
  }

  private static boolean contains(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= Math.min(haystack.length, 64); i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return true;
    }
    return false;
  }
}
