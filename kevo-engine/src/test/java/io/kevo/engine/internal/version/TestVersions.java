package io.kevo.engine.internal.version;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.kevo.engine.internal.sstable.TableReader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Test fixture: builds a {@link Version} of table files that exist only as metadata (no SSTable on
 * disk; opening a reader fails), for tests of the code that chooses files from a version, such as
 * the compaction picker. Keys are UTF-8 strings; L0 files are listed newest first, as added.
 */
public final class TestVersions {
  private static final TableFile.Owner NO_FILES =
      new TableFile.Owner() {
        @Override
        public TableReader openReader(TableFile file) {
          throw new UnsupportedOperationException("test table " + file + " has no file");
        }

        @Override
        public void unreferenced(TableFile file) {}
      };

  private final List<List<TableFile>> levels = new ArrayList<>();
  private long nextNumber = 1;

  private TestVersions() {
    for (int l = 0; l < Version.MAX_LEVELS; l++) {
      levels.add(new ArrayList<>());
    }
  }

  /** An empty version to add files to. */
  public static TestVersions builder() {
    return new TestVersions();
  }

  /**
   * Adds a file of {@code bytes} bytes holding keys {@code smallest..largest} to {@code level}:
   * appended in L1 and deeper (add them in key order), and in L0 as the oldest so far.
   */
  public TestVersions add(int level, String smallest, String largest, long bytes) {
    long n = nextNumber++;
    FileMeta meta =
        new FileMeta(n, bytes, smallest.getBytes(UTF_8), n, largest.getBytes(UTF_8), n, n, n, 1);
    levels.get(level).add(new TableFile(meta, Path.of(FileMeta.fileName(n)), NO_FILES));
    return this;
  }

  public Version build() {
    return new Version(levels);
  }
}
