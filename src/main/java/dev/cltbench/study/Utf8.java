package dev.cltbench.study;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.CharacterCodingException;
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
    Reader decoded = new InputStreamReader(buffered, StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT));
    return new LineCountingReader(decoded, file);
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

  /** Counts the lines it has handed out, so that a decoding error can name its line. */
  private static final class LineCountingReader extends Reader {
    private final Reader in;
    private final String file;
    private long line = 1;

    LineCountingReader(Reader in, String file) {
      this.in = in;
      this.file = file;
    }

    @Override
    public int read(char[] buf, int off, int len) throws IOException {
      int n;
      try {
        n = in.read(buf, off, len);
      } catch (CharacterCodingException e) {
        throw new StudyInputException(file, "line " + line, null, "invalid UTF-8 (save the file as UTF-8)");
      }
      for (int i = off; i < off + n; i++) {
        if (buf[i] == '\n') {
          line++;
        }
      }
      return n;
    }

    @Override
    public void close() throws IOException {
      in.close();
    }
  }
}
