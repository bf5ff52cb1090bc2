package io.iotbench.pipelines.score.source;

import io.iotbench.model.support.MqttUri;
import java.io.Serializable;
import java.net.URI;
import java.net.URISyntaxException;
import java.security.NoSuchAlgorithmException;
import javax.net.ssl.SSLContext;
import org.fusesource.mqtt.client.MQTT;

/**
 * Where and how the scorer connects to its MQTT broker: the URI ({@code tcp://host:port}, or {@code ssl://} /
 * {@code tls://} with the JVM's default SSL context, so the standard {@code -Djavax.net.ssl.trustStore=...}
 * properties apply), and optional credentials. The password is never logged: {@link #toString} and
 * {@link #displayUri} show the URI without any {@code user:password@} part.
 *
 * @param uri the broker URI
 * @param username user name, or null
 * @param password password, or null
 */
public record MqttBroker(String uri, String username, String password) implements Serializable {

  /** An anonymous broker connection. */
  public static MqttBroker anonymous(String uri) {
    return new MqttBroker(uri, null, null);
  }

  /** The URI with any user information masked, for messages and logs. */
  public String displayUri() {
    return displayUri(uri);
  }

  /** {@code uri} with any {@code user:password@} part replaced by {@code ***@}. */
  public static String displayUri(String uri) {
    return uri == null ? null : uri.replaceFirst("^([A-Za-z][A-Za-z0-9+.-]*://)[^/@]*@", "$1***@");
  }

  /**
   * Checks the URI: {@code tcp://host:port}, {@code ssl://host:port} or {@code tls://host:port}.
   *
   * @throws IllegalArgumentException saying what is wrong (without the URI's user information)
   */
  public URI checkedUri() {
    return MqttUri.check(uri);
  }

  /** A client for this broker: host, TLS and credentials set (the caller sets the session and retries). */
  public MQTT client() {
    URI parsed = checkedUri();
    MQTT mqtt = new MQTT();
    try {
      // Without user information: the library would not use it, and it must not reach its logs.
      mqtt.setHost(new URI(parsed.getScheme(), null, parsed.getHost(), parsed.getPort(), null, null, null));
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("not a URI");
    }
    if (username != null && !username.isEmpty()) {
      mqtt.setUserName(username);
    }
    if (password != null && !password.isEmpty()) {
      mqtt.setPassword(password);
    }
    if (!parsed.getScheme().equalsIgnoreCase("tcp")) {
      try {
        mqtt.setSslContext(SSLContext.getDefault());
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException("no default SSL context for " + displayUri() + ": " + e.getMessage(), e);
      }
    }
    return mqtt;
  }

  @Override
  public String toString() {
    return "MqttBroker[" + displayUri() + (username == null ? "" : ", user " + username) + "]";
  }
}
