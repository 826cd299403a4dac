package dev.sluice.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class SchemaMigrationsTest {

  @Test
  void statements_whenScriptHasCommentsAndSeveralStatements_splitsThemWithoutComments() {
    String script =
        "-- a table; with a semicolon in the comment\n"
            + "CREATE TABLE a (x INTEGER);\n"
            + "  -- indented comment\n"
            + "CREATE INDEX a_x\n  ON a (x);\n\n";

    assertThat(SchemaMigrations.statements(script))
        .containsExactly("CREATE TABLE a (x INTEGER)", "CREATE INDEX a_x\n  ON a (x)");
  }

  @Test
  void all_whenListed_numbersVersionsFromOneWithoutGapsAndShipsEachScript() {
    List<SchemaMigrations.Migration> all = SchemaMigrations.ALL;

    for (int i = 0; i < all.size(); i++) {
      assertThat(all.get(i).version()).isEqualTo(i + 1);
      assertThat(getClass().getClassLoader().getResource(all.get(i).resource()))
          .as(all.get(i).resource())
          .isNotNull();
    }
    assertThat(SchemaMigrations.latestVersion()).isEqualTo(all.size());
  }
}
