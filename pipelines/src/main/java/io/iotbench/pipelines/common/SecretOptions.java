package io.iotbench.pipelines.common;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.iotbench.model.support.ErrorText;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Keeps the values of options that may hold a secret out of the console. Beam's parse error for a malformed JSON
 * option is {@code Unable to parse JSON value <the whole value>}: for {@code --awsCredentialsProvider} that prints
 * the secret access key, for {@code --hdfsConfiguration} any key or password of the Hadoop configuration.
 * {@link Cli} passes every line it prints through {@link #mask}, and turns such a parse error into
 * {@code --NAME=***: why}, naming the option (which Beam's message does not) and keeping the reason.
 *
 * <p>A value is secret when its option is {@code --awsCredentialsProvider} or {@code --hdfsConfiguration}, or its
 * name contains password, secret, credential, key, token or jaas (any case) and does not end in File (a path to a
 * secret is not one); for {@code --kafkaProperty} and
 * {@code --decisionsKafkaProperty} entries ({@code key=value}), when the property's key does, or starts with
 * {@code sasl.} (a malformed entry without {@code =} is secret as a whole). Options are read as Beam reads them:
 * {@code --name=value}.
 */
public final class SecretOptions {
  /** What a secret value is replaced by. */
  public static final String MASK = "***";

  private static final Set<String> JSON_OPTIONS = Set.of("awsCredentialsProvider", "hdfsConfiguration");
  private static final Set<String> PROPERTY_OPTIONS = Set.of("kafkaProperty", "decisionsKafkaProperty");
  private static final Pattern SECRET_NAME = Pattern.compile("(?i).*(password|secret|credential|key|token|jaas).*");
  // Quoted text in a parser's message ('token', "value"): it may be a piece of the value.
  private static final Pattern QUOTED = Pattern.compile("'[^']*'|\"[^\"]*\"");
  // A syntax error's location must not quote the text it was reading (Jackson's default does).
  private static final ObjectMapper READER =
      new ObjectMapper(JsonFactory.builder().disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION).build());

  /** One secret value given on the command line, and the option that carried it. */
  public record Secret(String option, String value) {}

  private SecretOptions() {}

  /** The secret values among {@code args}, longest first (so a value that contains another is masked whole). */
  public static List<Secret> in(String[] args) {
    List<Secret> secrets = new ArrayList<>();
    for (String arg : args) {
      if (arg == null || !arg.startsWith("--") || arg.indexOf('=') < 0) {
        continue;
      }
      String name = arg.substring(2, arg.indexOf('='));
      String value = arg.substring(arg.indexOf('=') + 1);
      if (value.isEmpty()) {
        continue;
      }
      if (PROPERTY_OPTIONS.contains(name)) {
        int eq = value.indexOf('=');
        if (eq < 0) {
          secrets.add(new Secret(name, value));
        } else if (isSecretProperty(value.substring(0, eq).trim()) && eq + 1 < value.length()) {
          secrets.add(new Secret(name, value.substring(eq + 1)));
        }
      } else if (JSON_OPTIONS.contains(name) || (SECRET_NAME.matcher(name).matches() && !name.endsWith("File"))) {
        secrets.add(new Secret(name, value));
      }
    }
    secrets.sort(Comparator.comparingInt((Secret s) -> s.value().length()).reversed());
    return secrets;
  }

  /** Whether a Kafka client property holds a secret: a password, a key, a JAAS configuration, any SASL setting. */
  public static boolean isSecretProperty(String key) {
    return SECRET_NAME.matcher(key).matches() || key.startsWith("sasl.");
  }

  /** {@code line} with every secret value replaced by {@link #MASK}. */
  public static String mask(String line, List<Secret> secrets) {
    String masked = line;
    for (Secret s : secrets) {
      masked = masked.replace(s.value(), MASK);
    }
    return masked;
  }

  /**
   * The error line text for Beam's refusal {@code e} of the options: when it quotes a secret value, {@code
   * --NAME=***: why} with the reason told without the value; otherwise Beam's message with any secret masked.
   */
  public static String parseError(IllegalArgumentException e, List<Secret> secrets) {
    String message = e.getMessage() == null ? "" : e.getMessage();
    for (Secret s : secrets) {
      if (message.contains(s.value())) {
        return "--" + s.option() + "=" + MASK + ": " + reason(s, e);
      }
    }
    return mask(ErrorText.oneLine(e), secrets);
  }

  /** Why a secret value was refused, in words that cannot carry it: JSON syntax, or the root cause's first line. */
  private static String reason(Secret s, IllegalArgumentException e) {
    if (JSON_OPTIONS.contains(s.option())) {
      JsonNode tree;
      try {
        tree = READER.readTree(s.value());
      } catch (JsonProcessingException syntax) {
        return "not valid JSON (" + scrub(syntax.getOriginalMessage(), s, null) + "; the value is not shown)";
      }
      Throwable root = ErrorText.rootCause(e);
      if (root != e && root.getMessage() != null) {
        return "not accepted (" + scrub(root.getMessage(), s, tree) + "; the value is not shown)";
      }
    }
    return "not accepted (the value is not shown)";
  }

  /**
   * {@code text}'s first line with every piece of the secret removed: the whole value, every string in it that is
   * the value of a secret-looking field ({@code tree}, when the value is valid JSON), and every quoted piece of text
   * (a parser quotes the token it stopped at) unless the value is valid JSON.
   */
  private static String scrub(String text, Secret s, JsonNode tree) {
    String line = text.lines().findFirst().orElse("").strip();
    line = line.replace(s.value(), MASK);
    if (tree == null) {
      return QUOTED.matcher(line).replaceAll(MASK);
    }
    List<String> secretStrings = new ArrayList<>();
    collectSecretStrings(tree, secretStrings);
    secretStrings.sort(Comparator.comparingInt(String::length).reversed());
    for (String secret : secretStrings) {
      line = line.replace(secret, MASK);
    }
    return line;
  }

  private static void collectSecretStrings(JsonNode node, List<String> out) {
    if (node.isArray()) {
      node.forEach(child -> collectSecretStrings(child, out));
    } else if (node.isObject()) {
      for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> field = it.next();
        if (field.getValue().isValueNode() && !field.getValue().asText().isEmpty()
            && (SECRET_NAME.matcher(field.getKey()).matches() || field.getKey().startsWith("sasl."))) {
          out.add(field.getValue().asText());
        }
        collectSecretStrings(field.getValue(), out);
      }
    }
  }
}
