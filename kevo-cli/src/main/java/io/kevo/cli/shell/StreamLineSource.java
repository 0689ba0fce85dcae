package io.kevo.cli.shell;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

/** Lines of UTF-8 text from a stream (a pipe or a file on stdin), without prompts. */
public final class StreamLineSource implements LineSource {
  private final BufferedReader reader;

  public StreamLineSource(InputStream in) {
    this.reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
  }

  @Override
  public String readLine(String prompt) throws IOException {
    return reader.readLine();
  }
}
