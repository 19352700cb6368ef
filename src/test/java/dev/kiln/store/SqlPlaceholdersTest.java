package dev.kiln.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SqlPlaceholdersTest {
  @Test
  void anInListHasOnePlaceholderPerValueShortOrLong() {
    assertThat(Sql.placeholders(1)).isEqualTo("(?)");
    assertThat(Sql.placeholders(3)).isEqualTo("(?, ?, ?)");
    for (int n : new int[] {128, 129, 1000}) {
      String list = Sql.placeholders(n);
      assertThat(list.chars().filter(c -> c == '?').count()).as("placeholders for %d", n).isEqualTo(n);
      assertThat(list).startsWith("(?, ").endsWith(", ?)");
    }
  }

  @Test
  void anEmptyInListIsRefused() {
    assertThatThrownBy(() -> Sql.placeholders(0)).isInstanceOf(IllegalArgumentException.class);
  }
}
