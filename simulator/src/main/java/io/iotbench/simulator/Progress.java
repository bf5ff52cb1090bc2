package io.iotbench.simulator;

/**
 * What the simulator tells its user while it runs. {@link ConsoleProgress} prints it to standard
 * error; tests and the benchmark pass {@link #NONE} or their own.
 */
public interface Progress {

  /** A one-line notice (listening, waiting for clients, a client connected). */
  void notice(String message);

  /** {@code sent} events have gone out so far (called every {@code rate} events). */
  void sent(long sent);

  /** The stream is complete: {@code sent} events (sentinels not counted) in {@code seconds}. */
  void finished(long sent, String sink, double seconds);

  /** Reports nothing. */
  Progress NONE =
      new Progress() {
        @Override
        public void notice(String message) {}

        @Override
        public void sent(long sent) {}

        @Override
        public void finished(long sent, String sink, double seconds) {}
      };
}
