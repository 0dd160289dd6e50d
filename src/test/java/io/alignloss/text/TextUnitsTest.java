package io.alignloss.text;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TextUnitsTest {
    @Test
    void bytesCountTheUtf8Encoding() {
        assertThat(TextUnits.utf8Bytes("abc")).isEqualTo(3);
        assertThat(TextUnits.utf8Bytes("é")).isEqualTo(2);                 // U+00E9: C3 A9
        assertThat(TextUnits.utf8Bytes("日本")).isEqualTo(6);              // three bytes each
        assertThat(TextUnits.utf8Bytes("😀")).isEqualTo(4);                // outside the BMP: a surrogate pair in Java, 4 bytes
        assertThat(TextUnits.utf8Bytes("")).isZero();
        assertThat(TextUnits.utf8Bytes(null)).isZero();
    }

    @Test
    void wordsAreRunsOfNonWhiteSpace() {
        assertThat(TextUnits.words("the cat  sat")).isEqualTo(3);
        assertThat(TextUnits.words("  leading and trailing \n")).isEqualTo(3);
        assertThat(TextUnits.words("tab\tnew\nline")).isEqualTo(3);
        assertThat(TextUnits.words("no\u00A0break")).isEqualTo(2);         // Unicode white space, as Python's str.split()
        assertThat(TextUnits.words("don't-stop, ok.")).isEqualTo(2);       // punctuation belongs to the word
        assertThat(TextUnits.words("   ")).isZero();
        assertThat(TextUnits.words("")).isZero();
        assertThat(TextUnits.words(null)).isZero();
    }
}
