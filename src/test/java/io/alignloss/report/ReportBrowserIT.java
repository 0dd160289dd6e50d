package io.alignloss.report;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The report in headless Chromium (Debian's chromium; .ci/run installs it): it loads without console
 * messages and every plot decodes. Skips with a message where no browser exists.
 */
class ReportBrowserIT {
    private static final String CHROMIUM = "/usr/bin/chromium";

    @TempDir
    Path temp;

    record Page(String dom, String log) {
    }

    private Page open(Path html) throws Exception {
        Path profile = Files.createTempDirectory(temp, "profile");
        File dom = temp.resolve("dom-" + System.nanoTime()).toFile();
        File log = temp.resolve("log-" + System.nanoTime()).toFile();
        Process process = new ProcessBuilder(List.of(CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--user-data-dir=" + profile, "--enable-logging=stderr", "--v=0", "--virtual-time-budget=5000", "--dump-dom",
                html.toUri().toString())).redirectOutput(dom).redirectError(log).start();
        try {
            assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("chromium finished within 60 s").isTrue();
        }
        finally {
            process.destroyForcibly();
        }
        return new Page(Files.readString(dom.toPath(), StandardCharsets.UTF_8), Files.readString(log.toPath(), StandardCharsets.UTF_8));
    }

    private static List<String> consoleLines(String log) {
        return log.lines().filter(line -> line.contains(":CONSOLE")).toList();
    }

    @Test
    void reportLoadsWithoutConsoleMessagesAndEveryPlotDecodes() throws Exception {
        assumeTrue(new File(CHROMIUM).canExecute(), "skipped: no browser at " + CHROMIUM + " (apt-get install chromium)");

        // the console check can fail: a page that logs an error is caught
        Path broken = temp.resolve("broken.html");
        Files.writeString(broken, "<!DOCTYPE html><html><body><script>console.error('deliberate');</script></body></html>");
        assertThat(consoleLines(open(broken).log())).anyMatch(line -> line.contains("deliberate"));

        Path report = temp.resolve("report.html");
        Files.writeString(report, HtmlReportTest.render(HtmlReportTest.fixture()));
        Page page = open(report);
        assertThat(consoleLines(page.log())).isEmpty();
        Matcher body = Pattern.compile("<body data-plots-loaded=\"(\\d+)\" data-plots-expected=\"(\\d+)\"").matcher(page.dom());
        assertThat(body.find()).as("the page ran its load handler").isTrue();
        assertThat(Integer.parseInt(body.group(2))).isGreaterThanOrEqualTo(13);
        assertThat(body.group(1)).isEqualTo(body.group(2));
    }
}
