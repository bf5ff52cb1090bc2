package io.iotbench.runners.serve;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The body of {@code POST /predict}, read token by token with Jackson's streaming parser straight into
 * {@code double[]} rows: a batch of 100 rows of 100 sensors is 10,000 numbers, and a tree of JSON nodes for them
 * costs more than scoring them. Exactly one of {@code feature} (the workshop's comma-separated string, or an array),
 * {@code features} (an array) or {@code instances} (an array of arrays); other fields are ignored.
 *
 * @param rows the rows to score, in order
 * @param batch whether the body was {@code instances} (the answer is then lists)
 */
record PredictRequest(List<double[]> rows, boolean batch) {

  /**
   * Reads {@code body}; checks every row has {@code numFeatures} finite numbers.
   *
   * @throws BadRequest naming the problem
   */
  static PredictRequest parse(JsonMapper json, byte[] body, int numFeatures) {
    List<double[]> rows = null;
    String field = null;
    int given = 0;
    try (JsonParser p = json.createParser(body)) {
      JsonToken first = p.nextToken();
      if (first != JsonToken.START_OBJECT) {
        throw new BadRequest("bad JSON: expected an object, found " + (first == null ? "nothing" : describe(first)));
      }
      for (JsonToken t = p.nextToken(); t == JsonToken.FIELD_NAME; t = p.nextToken()) {
        String name = p.currentName();
        JsonToken value = p.nextToken();
        switch (name) {
          case "feature" -> {
            given++;
            field = name;
            rows = List.of(value == JsonToken.VALUE_STRING
                ? checkCount(FeatureText.parse(p.getText()), "'feature'", numFeatures)
                : checkCount(row(p, "feature"), "'feature'", numFeatures));
          }
          case "features" -> {
            given++;
            field = name;
            rows = List.of(checkCount(row(p, "features"), "'features'", numFeatures));
          }
          case "instances" -> {
            given++;
            field = name;
            rows = instances(p, numFeatures);
          }
          default -> p.skipChildren();
        }
      }
      if (p.nextToken() != null) {
        throw new BadRequest("bad JSON: trailing content after the object");
      }
    } catch (JsonProcessingException e) {
      throw new BadRequest("bad JSON: " + String.valueOf(e.getOriginalMessage()).strip().replaceAll("\\s*\\R\\s*", " "));
    } catch (IOException e) {
      throw new IllegalStateException("cannot happen reading bytes in memory", e);
    }
    if (given != 1) {
      throw new BadRequest((given == 0 ? "missing field: " : "more than one of ")
          + "the body needs exactly one of 'feature' (\"0, 65, ...\"), 'features' ([0, 65, ...]) or 'instances' ([[...], ...])");
    }
    return new PredictRequest(rows, "instances".equals(field));
  }

  private static List<double[]> instances(JsonParser p, int numFeatures) throws IOException {
    if (p.currentToken() != JsonToken.START_ARRAY) {
      throw new BadRequest("'instances' must be a non-empty array of rows");
    }
    List<double[]> rows = new ArrayList<>();
    for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
      String where = "instances[" + rows.size() + "]";
      rows.add(checkCount(row(p, where), "'" + where + "'", numFeatures));
    }
    if (rows.isEmpty()) {
      throw new BadRequest("'instances' must be a non-empty array of rows");
    }
    return rows;
  }

  /** The array of numbers the parser is at (its START_ARRAY). */
  private static double[] row(JsonParser p, String field) throws IOException {
    if (p.currentToken() != JsonToken.START_ARRAY) {
      throw new BadRequest("'" + field + "' must be an array of numbers");
    }
    double[] values = new double[16];
    int n = 0;
    for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
      if (t != JsonToken.VALUE_NUMBER_INT && t != JsonToken.VALUE_NUMBER_FLOAT) {
        throw new BadRequest(field + "[" + n + "] is not a number: " + shown(p, t));
      }
      double v = p.getDoubleValue();
      if (!Double.isFinite(v)) {
        throw new BadRequest(field + "[" + n + "] is not finite: " + p.getText());
      }
      if (n == values.length) {
        values = Arrays.copyOf(values, n * 2);
      }
      values[n++] = v;
    }
    return n == values.length ? values : Arrays.copyOf(values, n);
  }

  static double[] checkCount(double[] row, String what, int numFeatures) {
    if (row.length != numFeatures) {
      throw new BadRequest("wrong feature count: " + what + " has " + row.length + " values, the model takes " + numFeatures);
    }
    return row;
  }

  private static String shown(JsonParser p, JsonToken t) throws IOException {
    if (t == JsonToken.VALUE_STRING) {
      String text = p.getText();
      return "\"" + (text.length() <= 40 ? text : text.substring(0, 40) + "...") + "\"";
    }
    return describe(t);
  }

  private static String describe(JsonToken t) {
    return switch (t) {
      case START_ARRAY -> "an array";
      case START_OBJECT -> "an object";
      case VALUE_TRUE, VALUE_FALSE -> "a boolean";
      case VALUE_NULL -> "null";
      case VALUE_STRING -> "a string";
      default -> "a number";
    };
  }
}
