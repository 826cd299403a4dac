package dev.sluice.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Headless Chromium (Debian {@code chromium} and {@code chromium-driver}) driven by Selenium, with
 * a fresh profile. A missing browser fails the test: the dashboard is then simply unproven.
 */
final class HeadlessChromium implements AutoCloseable {
  static final Path BINARY = Path.of("/usr/bin/chromium");
  static final Path DRIVER = Path.of("/usr/bin/chromedriver");

  final ChromeDriver driver;

  private HeadlessChromium(ChromeDriver driver) {
    this.driver = driver;
  }

  /** Starts the browser with a window of {@code width} × {@code height} and its profile in dir. */
  static HeadlessChromium start(Path profile, int width, int height) {
    assertThat(Files.isExecutable(BINARY))
        .as("Chromium at %s (Debian package chromium; .ci/run installs it)", BINARY)
        .isTrue();
    assertThat(Files.isExecutable(DRIVER))
        .as("ChromeDriver at %s (Debian package chromium-driver; .ci/run installs it)", DRIVER)
        .isTrue();
    // With the driver named here Selenium Manager never looks for (or downloads) one.
    ChromeDriverService service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(DRIVER.toFile())
            .usingAnyFreePort()
            .build();
    ChromeOptions options = new ChromeOptions();
    options.setBinary(BINARY.toString());
    options.addArguments(
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-dev-shm-usage",
        "--user-data-dir=" + profile.toAbsolutePath(),
        "--window-size=" + width + "," + height);
    HeadlessChromium chromium = new HeadlessChromium(new ChromeDriver(service, options));
    chromium.resize(width, height);
    return chromium;
  }

  /**
   * Makes the page's viewport {@code width} × {@code height}: the window is set, then grown by what
   * the browser's own frame takes from it.
   */
  void resize(int width, int height) {
    driver.manage().window().setSize(new Dimension(width, height));
    long innerWidth = ((Number) script("return window.innerWidth")).longValue();
    long innerHeight = ((Number) script("return window.innerHeight")).longValue();
    driver
        .manage()
        .window()
        .setSize(new Dimension((int) (2L * width - innerWidth), (int) (2L * height - innerHeight)));
  }

  /** Runs {@code script} in the page; it must return a JSON text, read here as a tree. */
  JsonNode json(String script) {
    Object text = ((JavascriptExecutor) driver).executeScript(script);
    try {
      return ApiCalls.JSON.readTree(String.valueOf(text));
    } catch (IOException e) {
      throw new UncheckedIOException("the page did not return JSON: " + text, e);
    }
  }

  Object script(String script) {
    return ((JavascriptExecutor) driver).executeScript(script);
  }

  /** Saves a PNG of the viewport to {@code file}. */
  void screenshot(Path file) {
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      Files.write(file, driver.getScreenshotAs(OutputType.BYTES));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot save " + file, e);
    }
  }

  @Override
  public void close() {
    driver.quit();
  }
}
