package dev.cltbench.study;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Text input as users' editors save it: a UTF-8 byte order mark at the start is skipped (Excel and
 * Notepad write one), and invalid UTF-8 is an error naming the file and the line, never a silent
 * replacement character.
 */
public final class Utf8 {
  private Utf8() {}

  /** A strict UTF-8 reader of {@code in} without its byte order mark; errors name {@code file}. */
  public static Reader reader(InputStream in, String file) throws IOException {
    BufferedInputStream buffered = new BufferedInputStream(in);
    buffered.mark(3);
    byte[] head = buffered.readNBytes(3);
    if (!(head.length == 3 && (head[0] & 0xff) == 0xEF && (head[1] & 0xff) == 0xBB && (head[2] & 0xff) == 0xBF)) {
      buffered.reset();
    }
    return new LineCountingReader(buffered, file);
  }

  /**
   * Where a JSON reader failed, without Jackson's class names and source dumps: "line 3, column 7:
   * Unexpected character ..." or, for bytes that are not UTF-8, "line 3: invalid UTF-8".
   */
  public static String describe(JsonProcessingException e) {
    JsonLocation at = e.getLocation();
    String where = at == null || at.getLineNr() < 1 ? "" : "line " + at.getLineNr()
        + (at.getColumnNr() > 0 ? ", column " + at.getColumnNr() : "") + ": ";
    String m = e.getOriginalMessage() == null ? "" : e.getOriginalMessage();
    if (m.contains("Invalid UTF-8") || m.contains("UTF-8")) {
      return where + "invalid UTF-8 (save the file as UTF-8)";
    }
    return where + m.replaceAll("\\s*[\\r\\n]+\\s*", " ");
  }

  /**
   * Decodes strictly and counts the lines it has handed out, so that a decoding error names its line:
   * the characters before a bad byte are delivered first, the error on the next read. Hand-written
   * because InputStreamReader reports the error without delivering them, so the line is lost.
   */
  private static final class LineCountingReader extends Reader {
    private final InputStream in;
    private final String file;
    private final java.nio.charset.CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
    private final java.nio.ByteBuffer bytes = java.nio.ByteBuffer.allocate(1 << 16).flip();
    private boolean eof;
    private boolean flushed;
    private boolean bad;
    private long line = 1;

    LineCountingReader(InputStream in, String file) {
      this.in = in;
      this.file = file;
    }

    @Override
    public int read(char[] buf, int off, int len) throws IOException {
      if (len == 0) {
        return 0;
      }
      java.nio.CharBuffer out = java.nio.CharBuffer.wrap(buf, off, len);
      while (out.position() == off) {
        if (bad) {
          throw new StudyInputException(file, "line " + line, null, "invalid UTF-8 (save the file as UTF-8)");
        }
        if (flushed) {
          return -1;
        }
        java.nio.charset.CoderResult r = decoder.decode(bytes, out, eof);
        if (r.isError()) {
          bad = true;
        } else if (r.isUnderflow() && out.position() == off) {
          if (eof) {
            decoder.flush(out);
            flushed = true;
          } else {
            bytes.compact();
            int n = in.read(bytes.array(), bytes.position(), bytes.remaining());
            if (n < 0) {
              eof = true;
            } else {
              bytes.position(bytes.position() + n);
            }
            bytes.flip();
          }
        }
      }
      for (int i = off; i < out.position(); i++) {
        if (buf[i] == '\n') {
          line++;
        }
      }
      return out.position() - off;
    }

    @Override
    public void close() throws IOException {
      in.close();
    }
  }
}
