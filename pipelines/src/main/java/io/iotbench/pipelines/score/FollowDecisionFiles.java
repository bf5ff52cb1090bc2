package io.iotbench.pipelines.score;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The driver's side of the report of a run whose DoFns print elsewhere ({@link ReportPlacement}): follows the decision
 * files the run writes ({@code --decisionsOutput}, {@code <prefix>-*.json}, any FileSystems location) and hands every
 * decision of every new file to the report, while the run goes on and once more when it has ended. A decision file
 * appears only when it is complete (written aside, then renamed into place: {@link WriteDecisions.ToFiles}), so a file
 * is read once, whole. The files there before the run started (by name, size and time) are not this run's and are left
 * out. Files are taken in the order of their modification time, then name; lines in file order.
 */
final class FollowDecisionFiles implements FollowDecisions {
  private static final Logger LOG = LoggerFactory.getLogger(FollowDecisionFiles.class);
  /** How often the files are listed while the run goes on. */
  static final long POLL_MILLIS = 250;

  private final String glob;
  private final Consumer<Decision> sink;
  private final Set<String> seen = new HashSet<>();
  private final Thread thread;
  private volatile boolean stop;
  private long decisions;

  /** Starts following the files of {@code prefix}, giving each decision to {@code sink}. */
  static FollowDecisionFiles start(String prefix, Consumer<Decision> sink) {
    return new FollowDecisionFiles(prefix, sink, true);
  }

  FollowDecisionFiles(String prefix, Consumer<Decision> sink, boolean background) {
    this.glob = prefix + "-*.json";
    this.sink = sink;
    for (MatchResult.Metadata m : list()) {
      seen.add(key(m));
    }
    if (background) {
      thread = new Thread(this::follow, "iotbench-follow-decisions");
      thread.setDaemon(true);
      thread.start();
    } else {
      thread = null;
    }
  }

  private void follow() {
    while (!stop) {
      try {
        poll();
        Thread.sleep(POLL_MILLIS);
      } catch (InterruptedException e) {
        return;
      } catch (RuntimeException e) {
        LOG.warn("cannot follow the decision files {}: {}", glob, e.toString());
      }
    }
  }

  /** Reads the new files once and hands their decisions over; returns how many decisions it read. */
  synchronized int poll() {
    List<MatchResult.Metadata> fresh = new ArrayList<>();
    for (MatchResult.Metadata m : list()) {
      if (!seen.contains(key(m))) {
        fresh.add(m);
      }
    }
    fresh.sort(Comparator.comparingLong(MatchResult.Metadata::lastModifiedMillis)
        .thenComparing(m -> m.resourceId().toString()));
    int read = 0;
    for (MatchResult.Metadata m : fresh) {
      seen.add(key(m));
      try (BufferedReader in = new BufferedReader(
          new InputStreamReader(Channels.newInputStream(FileSystems.open(m.resourceId())), StandardCharsets.UTF_8))) {
        String line;
        while ((line = in.readLine()) != null) {
          if (!line.isBlank()) {
            sink.accept(Decision.fromJson(line));
            read++;
          }
        }
      } catch (IOException | RuntimeException e) {
        LOG.warn("cannot read the decision file {}: {}", m.resourceId(), e.toString());
      }
    }
    decisions += read;
    return read;
  }

  /** How many decisions were handed over so far. */
  @Override
  public synchronized long decisions() {
    return decisions;
  }

  private List<MatchResult.Metadata> list() {
    try {
      MatchResult match = FileSystems.match(glob, EmptyMatchTreatment.ALLOW);
      return match.status() == MatchResult.Status.OK ? match.metadata() : List.of();
    } catch (IOException e) {
      LOG.debug("cannot list {}: {}", glob, e.toString());
      return List.of();
    }
  }

  private static String key(MatchResult.Metadata m) {
    return m.resourceId() + "|" + m.sizeBytes() + "|" + m.lastModifiedMillis();
  }

  /** Stops following, after a last look at the files: the run has ended and every file of it is in place. */
  @Override
  public void close() {
    stop = true;
    if (thread != null) {
      // Not interrupted: an interrupt would close the channel of a file being read (its lines would be lost).
      try {
        thread.join(5_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    poll();
  }
}
