package io.kevo.cli.shell;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class StatementParserTest {
  private static Statement parse(String line) throws UsageException {
    return StatementParser.parse(line).orElseThrow();
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void commandWordsAreCaseInsensitive() throws Exception {
    Statement.Put put = (Statement.Put) parse("pUt key \"a value\"");
    assertThat(put.key()).isEqualTo(utf8("key"));
    assertThat(put.value()).isEqualTo(utf8("a value"));
    assertThat(parse("get k")).isInstanceOf(Statement.Get.class);
    assertThat(parse("Delete k")).isInstanceOf(Statement.Delete.class);
    assertThat(parse(".STATS")).isInstanceOf(Statement.Stats.class);
    assertThat(parse(".Help")).isInstanceOf(Statement.Help.class);
  }

  @Test
  void emptyValueIsAValue() throws Exception {
    Statement.Put put = (Statement.Put) parse("PUT k \"\"");
    assertThat(put.value()).isEmpty();
  }

  @Test
  void wrongArgumentCountsNameTheUsage() {
    assertThatThrownBy(() -> parse("PUT k")).hasMessage("usage: PUT key value");
    assertThatThrownBy(() -> parse("PUT k v extra")).hasMessage("usage: PUT key value");
    assertThatThrownBy(() -> parse("GET")).hasMessage("usage: GET key");
    assertThatThrownBy(() -> parse("DELETE a b")).hasMessage("usage: DELETE key");
    assertThatThrownBy(() -> parse("SCAN a b")).hasMessage(StatementParser.SCAN_USAGE);
    assertThatThrownBy(() -> parse("SCAN RANGE a")).hasMessage("usage: SCAN RANGE start end");
    assertThatThrownBy(() -> parse(".stats now")).hasMessage("usage: .stats");
  }

  @Test
  void unknownCommandsAreExplained() {
    assertThatThrownBy(() -> parse("FETCH k"))
        .isInstanceOf(UsageException.class)
        .hasMessage("unknown command: FETCH (type .help for the list)");
  }

  @Test
  void transactionStatements() throws Exception {
    assertThat(parse("begin")).isEqualTo(new Statement.Begin(false));
    assertThat(parse("BEGIN readonly")).isEqualTo(new Statement.Begin(true));
    assertThat(parse("Commit")).isEqualTo(new Statement.Commit());
    assertThat(parse("ROLLBACK")).isEqualTo(new Statement.Rollback());
    assertThatThrownBy(() -> parse("BEGIN now")).hasMessage(StatementParser.BEGIN_USAGE);
    assertThatThrownBy(() -> parse("COMMIT all")).hasMessage("usage: COMMIT");
    assertThatThrownBy(() -> parse("ROLLBACK x")).hasMessage("usage: ROLLBACK");
  }

  @Test
  void scanForms() throws Exception {
    Statement.Scan all = (Statement.Scan) parse("SCAN");
    assertThat(all.prefix()).isNull();
    assertThat(all.start()).isNull();
    assertThat(all.end()).isNull();

    Statement.Scan prefix = (Statement.Scan) parse("scan user:");
    assertThat(prefix.prefix()).isEqualTo(utf8("user:"));

    Statement.Scan range = (Statement.Scan) parse("SCAN range a c");
    assertThat(range.start()).isEqualTo(utf8("a"));
    assertThat(range.end()).isEqualTo(utf8("c"));
    assertThat(range.prefix()).isNull();

    Statement.Scan openEnded = (Statement.Scan) parse("SCAN RANGE m \"\"");
    assertThat(openEnded.start()).isEqualTo(utf8("m"));
    assertThat(openEnded.end()).isNull();
  }

  @Test
  void quotedRangeIsAPrefixNotAKeyword() throws Exception {
    Statement.Scan scan = (Statement.Scan) parse("SCAN \"RANGE\"");
    assertThat(scan.prefix()).isEqualTo(utf8("RANGE"));
  }

  @Test
  void exitAliases() throws Exception {
    assertThat(parse(".exit")).isInstanceOf(Statement.Exit.class);
    assertThat(parse("exit")).isInstanceOf(Statement.Exit.class);
    assertThat(parse("QUIT")).isInstanceOf(Statement.Exit.class);
  }

  @Test
  void blankLinesAndCommentsAreNoStatement() throws Exception {
    assertThat(StatementParser.parse("")).isEmpty();
    assertThat(StatementParser.parse("   \t")).isEmpty();
    assertThat(StatementParser.parse("  # PUT a b")).isEmpty();
  }
}
