package io.iotbench.pipelines.score;

import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.io.mqtt.MqttIO;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.joda.time.Duration;

/**
 * Not a test: a probe that reads a topic with Beam's own {@code MqttIO.read} for a fixed time and prints how
 * many records arrived, to compare with our MQTT source (README, "Why MqttIO.read is slow").
 * Args: broker URI, topic, seconds, then Beam options.
 */
public final class MqttIoProbe {
  private MqttIoProbe() {}

  public static void main(String[] args) throws Exception {
    PipelineOptions o = PipelineOptionsFactory.fromArgs(java.util.Arrays.copyOfRange(args, 3, args.length)).create();
    org.apache.beam.sdk.options.PipelineOptionsFactory.register(org.apache.beam.runners.direct.DirectOptions.class);
    o.as(org.apache.beam.runners.direct.DirectOptions.class).setBlockOnRun(false);
    Pipeline p = Pipeline.create(o);
    p.apply(MqttIO.read().withConnectionConfiguration(MqttIO.ConnectionConfiguration.create(args[0], args[1])))
        .apply(MapElements.into(TypeDescriptors.strings()).via((byte[] b) -> new String(b, java.nio.charset.StandardCharsets.UTF_8)))
        .apply(ParDo.of(new MeasureSourceRate.CountRecordsFn()));
    PipelineResult r = p.run();
    r.waitUntilFinish(Duration.standardSeconds(Long.parseLong(args[2])));
    long n = io.iotbench.pipelines.common.PipelineCounters.get(r, MeasureSourceRate.CountRecordsFn.class, "records");
    r.cancel();
    org.slf4j.LoggerFactory.getLogger(MqttIoProbe.class).warn("RESULT MqttIO.read records={} in {} s", n, args[2]);
    System.exit(0);
  }
}
