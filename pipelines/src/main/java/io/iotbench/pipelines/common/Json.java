package io.iotbench.pipelines.common;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.UncheckedIOException;

/**
 * The pipelines' one Jackson configuration, so every JSON file and record is written and read the same way:
 * {@link #MAPPER} for compact JSON (one object per line: decisions, dead letters) and for reading,
 * {@link #PRETTY} for the indented files people open (dataset and metrics files). Readers ignore unknown
 * fields, so a newer file still reads; writers leave the stream they write to open for its owner to close.
 * Both are thread-safe once built.
 */
public final class Json {
  /** Compact writing and lenient reading. */
  public static final ObjectMapper MAPPER =
      new ObjectMapper()
          .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
          .configure(JsonGenerator.Feature.AUTO_CLOSE_TARGET, false);

  /** Indented writing, for files meant to be read by people. */
  public static final ObjectWriter PRETTY = MAPPER.writer(SerializationFeature.INDENT_OUTPUT);

  private Json() {}

  /** {@code value} as one line of compact JSON; control characters in strings are escaped. */
  public static String line(Object value) {
    try {
      return MAPPER.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** {@code value} as indented JSON. */
  public static String pretty(Object value) {
    try {
      return PRETTY.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }
}
