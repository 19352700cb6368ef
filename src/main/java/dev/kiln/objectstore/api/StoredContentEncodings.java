package dev.kiln.objectstore.api;

import io.helidon.http.encoding.ContentDecoder;
import io.helidon.http.encoding.ContentEncoder;
import io.helidon.http.encoding.ContentEncoding;
import io.helidon.http.encoding.ContentEncodingContext;
import java.util.Set;

/**
 * The web server's content encodings. Swift stores an object's bytes exactly as sent, with its
 * {@code Content-Encoding} kept as a header for whoever downloads it (a deflated upload comes back
 * deflated, for the client to inflate). Helidon refuses any request with a Content-Encoding it
 * cannot decode, so the common ones are registered here as decodable by passing the bytes through
 * untouched; none is used to encode answers (Kiln compresses nothing).
 */
public final class StoredContentEncodings {
  private StoredContentEncodings() {}

  public static ContentEncodingContext context() {
    return ContentEncodingContext.builder()
        .contentEncodingsDiscoverServices(false)
        .addContentEncoding(new PassThrough())
        .build();
  }

  private static final class PassThrough implements ContentEncoding {
    @Override
    public Set<String> ids() {
      return Set.of("gzip", "x-gzip", "deflate", "br", "compress", "x-compress", "zstd");
    }

    @Override
    public boolean supportsEncoding() {
      return false;
    }

    @Override
    public boolean supportsDecoding() {
      return true;
    }

    @Override
    public ContentDecoder decoder() {
      return ContentDecoder.NO_OP;
    }

    @Override
    public ContentEncoder encoder() {
      return ContentEncoder.NO_OP;
    }

    @Override
    public String name() {
      return "kiln-pass-through";
    }

    @Override
    public String type() {
      return "pass-through";
    }
  }
}
