package dev.cltbench.clients;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.google.api.client.http.ByteArrayContent;
import com.google.api.client.http.GenericUrl;
import com.google.api.client.http.HttpHeaders;
import com.google.api.client.http.HttpRequest;
import com.google.api.client.http.HttpRequestFactory;
import com.google.api.client.http.HttpResponse;
import com.google.api.client.http.javanet.NetHttpTransport;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;

/**
 * One attempt of one call over HTTP (google-http-client), classified: 408, 429 and 5xx, I/O
 * failures (reset, timeout) and malformed 200 bodies are retryable; other 4xx and refusals are not.
 * Retries are {@link RetryingModelClient}'s business.
 */
final class HttpModelClient implements ModelClient {
  private static final Set<Integer> RETRYABLE_4XX = Set.of(408, 429);

  private final WireProtocol protocol;
  private final String url;
  private final String modelId;
  private final String label;
  private final String apiKey;
  private final RetryPolicy policy;
  private final NetHttpTransport transport;
  private final HttpRequestFactory requests;

  HttpModelClient(WireProtocol protocol, String base, String modelId, String label, String apiKey,
      RetryPolicy policy) {
    this.protocol = protocol;
    this.url = protocol.url(base, modelId);
    this.modelId = modelId;
    this.label = label;
    this.apiKey = apiKey;
    this.policy = policy;
    this.transport = new NetHttpTransport();
    this.requests = transport.createRequestFactory();
  }

  @Override
  public ChatResponse complete(ChatRequest request) throws ModelCallException {
    byte[] body;
    try {
      body = WireProtocol.MAPPER.writeValueAsBytes(protocol.body(modelId, request));
    } catch (JsonProcessingException e) {
      throw new ModelCallException(-1, false, null, label + ": cannot encode request: " + e.getMessage());
    }
    long started = System.nanoTime();
    HttpResponse response = null;
    boolean read = false;
    try {
      HttpRequest req = requests.buildPostRequest(new GenericUrl(url),
          new ByteArrayContent("application/json", body));
      HttpHeaders headers = new HttpHeaders();
      headers.setUserAgent("cltbench");
      headers.setAccept("application/json");
      for (Map.Entry<String, String> h : protocol.headers(apiKey).entrySet()) {
        headers.set(h.getKey(), h.getValue());
      }
      req.setHeaders(headers);
      req.setConnectTimeout((int) policy.connectTimeout().toMillis());
      req.setReadTimeout((int) policy.readTimeout().toMillis());
      req.setThrowExceptionOnExecuteError(false);
      req.setNumberOfRetries(0);
      // The library logs headers at CONFIG level; x-api-key and x-goog-api-key are not redacted there.
      req.setLoggingEnabled(false);
      req.setCurlLoggingEnabled(false);
      RateLimitHeaders.record(null);
      response = req.execute();
      int status = response.getStatusCode();
      RateLimitHeaders.record(RateLimitHeaders.of(response.getHeaders(),
          status == 429 ? retryAfter(response.getHeaders()) : null, Instant.now()));
      String text;
      try (InputStream in = response.getContent()) {
        text = in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8);
      }
      read = true;
      long latency = (System.nanoTime() - started) / 1_000_000;
      if (status / 100 == 2) {
        return parse(status, text, latency);
      }
      Duration retryAfter = retryAfter(response.getHeaders());
      boolean retryable = RETRYABLE_4XX.contains(status) || status >= 500;
      throw new ModelCallException(status, retryable, retryAfter,
          label + ": HTTP " + status + ": " + snippet(text));
    } catch (SocketTimeoutException e) {
      throw new ModelCallException(-1, true, null, label + ": timed out: " + redact(e.getMessage()));
    } catch (IOException e) {
      // Reset, refused, closed mid-body (a truncated reply): all worth another attempt.
      throw new ModelCallException(-1, true, null,
          label + ": I/O failure: " + e.getClass().getSimpleName() + ": " + redact(e.getMessage()));
    } finally {
      // A reply read to its end leaves its connection to the JDK's keep-alive cache (a new TCP and TLS
      // handshake a call costs the endpoint a slot's time); anything else is dropped.
      if (response != null && !read) {
        try {
          response.disconnect();
        } catch (IOException ignored) {
          // the connection is being dropped anyway
        }
      }
    }
  }

  /** A 200 body read as a reply or a classified failure; also reads the replies a batch returns. */
  ChatResponse parse(int status, String text, long latency) throws ModelCallException {
    WireProtocol.Parsed p;
    try {
      JsonNode root = WireProtocol.MAPPER.readTree(text);
      if (root == null || !root.isObject()) {
        throw new WireProtocol.MalformedReply("reply is not a JSON object");
      }
      p = protocol.parse(root);
    } catch (JsonProcessingException e) {
      throw new ModelCallException(status, true, null, label + ": malformed or truncated reply ("
          + text.length() + " chars): " + e.getOriginalMessage());
    } catch (WireProtocol.MalformedReply e) {
      throw new ModelCallException(status, true, null, label + ": malformed reply: " + e.getMessage());
    }
    if (p.refusal() != null) {
      throw new ModelCallException(status, false, null, label + ": content refused (" + p.refusal() + ")",
          ModelCallException.REFUSED, p.usage(), p.finishReason(), p.modelVersion(), null, 1);
    }
    if (p.text() == null) {
      if (p.finishReason() == null) {
        // No text and no reason to stop: a malformed reply; another attempt may answer.
        throw new ModelCallException(status, true, null, label + ": malformed reply: no text and no finish reason",
            null, p.usage(), null, p.modelVersion(), null, 1);
      }
      // The model finished and said nothing (Gemini's MAX_TOKENS with no parts: thinking spent the
      // budget). Asking again would bill the same again: permanent.
      String kind = p.truncated() ? ModelCallException.TRUNCATED : ModelCallException.NO_TEXT;
      throw new ModelCallException(status, false, null, label + ": no text in the reply (finish reason "
          + p.finishReason() + ", " + p.usage().outputTokens() + " output tokens"
          + (p.usage().reasoningTokens() > 0 ? ", " + p.usage().reasoningTokens() + " of them reasoning" : "")
          + (p.reasoning() != null ? "; the reply is only a reasoning trace" : "")
          + ")", kind, p.usage(), p.finishReason(), p.modelVersion(), null, 1).withReasoning(p.reasoning());
    }
    return new ChatResponse(p.text(), p.usage(), p.finishReason(), p.modelVersion(), p.truncated(), latency, 1,
        p.reasoning());
  }

  /** Retry-After (seconds or HTTP-date); OpenAI's retry-after-ms is more precise and wins when sent. */
  static Duration retryAfter(HttpHeaders headers) {
    String ms = headers.getFirstHeaderStringValue("retry-after-ms");
    if (ms != null) {
      try {
        double v = Double.parseDouble(ms.strip());
        if (v >= 0) {
          return Duration.ofMillis((long) Math.ceil(v));
        }
      } catch (NumberFormatException ignored) {
        // fall back to Retry-After
      }
    }
    return RetryPolicy.parseRetryAfter(headers.getFirstHeaderStringValue("retry-after"), Instant.now());
  }

  private String snippet(String body) {
    String s = body.length() > 300 ? body.substring(0, 300) + "..." : body;
    return redact(s.replaceAll("\\s+", " ").strip());
  }

  /** Servers should never echo a key, but an error message must not carry one even if they do. */
  private String redact(String s) {
    if (s == null) {
      return "";
    }
    return apiKey == null || apiKey.isEmpty() ? s : s.replace(apiKey, "***");
  }

  @Override
  public void close() {
    try {
      transport.shutdown();
    } catch (IOException ignored) {
      // nothing held open
    }
  }

  @Override
  public String toString() {
    return "HttpModelClient[" + label + " " + protocol.name() + " " + url + "]";
  }
}
