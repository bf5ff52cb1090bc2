package io.iotbench.runners.bench;

import static io.iotbench.simulator.cli.Commands.VALUE;

import io.iotbench.pipelines.common.ConsoleReport;
import io.iotbench.pipelines.common.DeadLetter;
import io.iotbench.pipelines.common.InvalidOptionException;
import io.iotbench.pipelines.common.PipelineCounters;
import io.iotbench.pipelines.score.EventFormat;
import io.iotbench.pipelines.score.HostileRecords;
import io.iotbench.pipelines.score.ParseEvents;
import io.iotbench.pipelines.score.RecordRules;
import io.iotbench.simulator.cli.Commands;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollectionTuple;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code iotbench bench-fuzz}: puts seeded hostile records (mutated CSV lines and JSON messages, random strings and
 * bytes, extreme numbers and times, control characters, empty and 1 MiB records; {@link HostileRecords}) through the
 * scorer's parse-stage function {@link RecordRules#check}, counting crashes (an exception escaping), records that end
 * neither parsed nor as one dead letter, and parsed records that do not re-encode to an equivalent record. Then a
 * smaller DirectRunner pass through {@link ParseEvents} checks that its counters equal its outputs. Each generated
 * record goes in as a Kafka or MQTT source hands it on: line breaks replaced by spaces, an empty message as " ".
 * Ends with {@code RESULT records=... crashes=0 dead_letters=... unaccounted=0 records_per_s=...}; exit 1 if an
 * invariant failed.
 */
@Command(
    name = "bench-fuzz",
    synopsisHeading = "",
    customSynopsis = "usage: iotbench bench-fuzz [--option=value ...]",
    description = {
      "Fuzzes the scorer's parse stage with seeded hostile records: every record must be parsed (and re-encode to an "
          + "equivalent record) or become exactly one dead letter with a reason; then checks the pipeline's counters "
          + "against its outputs on the DirectRunner."
    },
    optionListHeading = Commands.OPTION_LIST_HEADING,
    sortOptions = false)
public final class FuzzBenchmark implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin Commands.HelpOption help;

  @Option(names = "--records", paramLabel = VALUE, defaultValue = "1000000", description = "records through the parse function [${DEFAULT-VALUE}]")
  long records;

  @Option(names = "--pipelineRecords", paramLabel = VALUE, defaultValue = "20000", description = "records through the DirectRunner pipeline pass; 0 skips it [${DEFAULT-VALUE}]")
  int pipelineRecords;

  @Option(names = "--seed", paramLabel = VALUE, defaultValue = "1", description = "the generator's seed [${DEFAULT-VALUE}]")
  long seed;

  @Option(names = "--sensors", paramLabel = VALUE, defaultValue = "100", description = "sensors of the stream (higher numbers are unknownSensor) [${DEFAULT-VALUE}]")
  int sensors;

  @Option(names = "--maxRecordBytes", paramLabel = VALUE, defaultValue = "65536", description = "the record limit, as score's option [${DEFAULT-VALUE}]")
  int maxRecordBytes;

  FuzzBenchmark() {}

  public static void main(String[] args) {
    System.exit(Commands.execute(new FuzzBenchmark(), args, System.out, System.err, InvalidOptionException.class));
  }

  /** What one pass through the parse function counted. */
  record Tally(long records, long parsed, long deadLetters, long crashes, long notEquivalent, long nanos,
      Map<RecordRules.Reason, Long> byReason) {
    long unaccounted() {
      return records - parsed - deadLetters;
    }
  }

  @Override
  public Integer call() {
    Commands.range(spec, "records", records, 1, Long.MAX_VALUE);
    Commands.range(spec, "pipelineRecords", pipelineRecords, 0, 10_000_000);
    Commands.range(spec, "sensors", sensors, 1, Integer.MAX_VALUE);
    Commands.range(spec, "maxRecordBytes", maxRecordBytes, 1, Integer.MAX_VALUE);
    Tally t = fuzz(records, seed, sensors, maxRecordBytes);
    StringBuilder reasons = new StringBuilder();
    t.byReason().forEach((r, n) -> reasons.append(' ').append(r.label()).append('=').append(n));
    ConsoleReport.line(String.format(Locale.ROOT, "parse function: %d records, %d parsed, %d dead letters (%s),"
        + " %d crashes, %d not re-encoding to an equivalent record, %.2f s", t.records(), t.parsed(), t.deadLetters(),
        reasons.toString().trim(), t.crashes(), t.notEquivalent(), t.nanos() / 1e9));
    boolean pipelineOk = pipelineRecords == 0 || pipelinePass(pipelineRecords, seed + 1, sensors, maxRecordBytes);
    ConsoleReport.line(String.format(Locale.ROOT, "RESULT records=%d crashes=%d dead_letters=%d unaccounted=%d records_per_s=%.0f",
        t.records(), t.crashes(), t.deadLetters(), t.unaccounted(), t.records() / Math.max(1e-9, t.nanos() / 1e9)));
    boolean ok = t.crashes() == 0 && t.unaccounted() == 0 && t.notEquivalent() == 0 && pipelineOk;
    return ok ? 0 : Commands.EXIT_FAILED;
  }

  /** A record as a Kafka or MQTT source hands it to the parse stage. */
  static String asHandedOn(String message) {
    String record = message.replace('\n', ' ').replace('\r', ' ');
    return record.isEmpty() ? " " : record;
  }

  static RecordRules rules(boolean json, int sensors, int maxRecordBytes) {
    return new RecordRules(json ? EventFormat.JSON : EventFormat.CSV, sensors, 60_000, true, maxRecordBytes);
  }

  /** {@code n} records through the parse function; odd records as JSON, even ones as CSV. */
  static Tally fuzz(long n, long seed, int sensors, int maxRecordBytes) {
    long now = System.currentTimeMillis();
    HostileRecords generator = new HostileRecords(seed, now);
    RecordRules csv = rules(false, sensors, maxRecordBytes);
    RecordRules json = rules(true, sensors, maxRecordBytes);
    Map<RecordRules.Reason, Long> byReason = new EnumMap<>(RecordRules.Reason.class);
    long parsed = 0;
    long dead = 0;
    long crashes = 0;
    long notEquivalent = 0;
    long nanos = 0;
    for (long i = 0; i < n; i++) {
      String record = asHandedOn(generator.next());
      RecordRules rules = (i & 1) == 1 ? json : csv;
      RecordRules.Outcome outcome;
      long start = System.nanoTime();
      try {
        outcome = rules.check(record, now);
      } catch (RuntimeException | Error e) {
        crashes++;
        continue;
      } finally {
        nanos += System.nanoTime() - start;
      }
      if (outcome instanceof RecordRules.Parsed p) {
        parsed++;
        try {
          if (!HostileRecords.equivalent(rules, p.events(), now)) {
            notEquivalent++;
          }
        } catch (RuntimeException e) {
          notEquivalent++;
        }
      } else if (outcome instanceof RecordRules.Rejected r && !r.reason().label().isEmpty()
          && !r.deadLetter(record).error().isEmpty()) {
        dead++;
        byReason.merge(r.reason(), 1L, Long::sum);
      }
    }
    return new Tally(n, parsed, dead, crashes, notEquivalent, nanos, byReason);
  }

  /** Counts the elements of the dead-letter output. */
  static final class CountOutputFn extends DoFn<DeadLetter, Void> {
    private final Counter seen = Metrics.counter(FuzzBenchmark.class, "deadLetterOutput");

    @ProcessElement
    public void process(@Element DeadLetter letter) {
      seen.inc();
    }
  }

  /**
   * {@code n} records, in chunks of up to 50 lines as the live sources hand them out, through {@link ParseEvents} on
   * the DirectRunner: records = parsed records + dead letters, and the dead-letter counter equals its output.
   */
  static boolean pipelinePass(int n, long seed, int sensors, int maxRecordBytes) {
    HostileRecords generator = new HostileRecords(seed, System.currentTimeMillis());
    List<String> chunks = new ArrayList<>();
    StringBuilder chunk = new StringBuilder();
    for (int i = 0; i < n; i++) {
      if (i % 50 == 0 && chunk.length() > 0) {
        chunks.add(chunk.toString());
        chunk.setLength(0);
      }
      chunk.append(chunk.length() == 0 ? "" : "\n").append(asHandedOn(generator.next()));
    }
    chunks.add(chunk.toString());
    chunks.add(""); // a heartbeat, no record
    Pipeline p = Pipeline.create(PipelineOptionsFactory.fromArgs("--runner=DirectRunner").create());
    PCollectionTuple parsed = p.apply("HostileRecords", Create.of(chunks).withCoder(StringUtf8Coder.of()))
        .apply("ParseEvents", new ParseEvents(rules(false, sensors, maxRecordBytes), false));
    parsed.get(ParseEvents.DEAD_LETTERS).apply("CountDeadLetters", ParDo.of(new CountOutputFn()));
    long start = System.nanoTime();
    PipelineResult result = p.run();
    result.waitUntilFinish();
    long recordsSeen = PipelineCounters.get(result, ParseEvents.class, ParseEvents.RECORDS);
    long parsedRecords = PipelineCounters.get(result, ParseEvents.class, ParseEvents.PARSED_RECORDS);
    long deadLetters = PipelineCounters.get(result, ParseEvents.class, ParseEvents.DEAD_LETTERS_COUNTER);
    long byReason = 0;
    for (RecordRules.Reason r : RecordRules.Reason.values()) {
      byReason += PipelineCounters.get(result, ParseEvents.class, r.counter());
    }
    long output = PipelineCounters.get(result, FuzzBenchmark.class, "deadLetterOutput");
    boolean ok = recordsSeen == n && parsedRecords + deadLetters == recordsSeen && deadLetters == output
        && byReason == deadLetters;
    ConsoleReport.line(String.format(Locale.ROOT, "pipeline (DirectRunner): %d records generated, records=%d"
        + " parsedRecords=%d deadLetters=%d (sum of reasons %d), dead-letter output %d, %.2f s: %s", n, recordsSeen,
        parsedRecords, deadLetters, byReason, output, (System.nanoTime() - start) / 1e9,
        ok ? "counters equal the outputs" : "MISMATCH"));
    return ok;
  }
}
