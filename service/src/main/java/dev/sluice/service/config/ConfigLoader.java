package dev.sluice.service.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/**
 * Loads {@code sluice serve}'s configuration from YAML. Keys left out take their defaults (see
 * {@code sluice.example.yaml}); unknown keys are errors. Every failure is a {@link ConfigException}
 * with a one-line message naming the key or the YAML line.
 */
public final class ConfigLoader {

  private static final YAMLMapper YAML = yamlMapper();

  private ConfigLoader() {}

  /**
   * The configuration in {@code file}.
   *
   * @throws ConfigException when the file cannot be read, is not YAML, or holds a bad value
   */
  public static SluiceConfig load(Path file) {
    String text;
    try {
      text = Files.readString(file);
    } catch (NoSuchFileException e) {
      throw new ConfigException("config file not found: " + file, e);
    } catch (CharacterCodingException e) {
      throw new ConfigException("config file is not UTF-8: " + file, e);
    } catch (IOException e) {
      throw new ConfigException("cannot read config file " + file + ": " + e, e);
    }
    return parse(text);
  }

  /**
   * The configuration in a YAML document; an empty document means every default.
   *
   * @throws ConfigException when it is not YAML or holds a bad value
   */
  public static SluiceConfig parse(String yaml) {
    JsonNode root;
    try {
      root = YAML.readTree(yaml);
    } catch (JsonProcessingException e) {
      throw new ConfigException(syntaxError(e), e);
    }
    if (root == null || root.isMissingNode() || root.isNull()) {
      return SluiceConfig.defaults();
    }
    if (!root.isObject()) {
      throw new ConfigException(
          "expected a mapping of keys at top level, got " + YamlSection.describe(root));
    }
    return ConfigReader.read(YamlSection.root(root));
  }

  /** {@code invalid YAML at line 3, column 8: mapping values are not allowed here}. */
  private static String syntaxError(JsonProcessingException e) {
    if (e.getCause() instanceof MarkedYAMLException) {
      MarkedYAMLException yaml = (MarkedYAMLException) e.getCause();
      Mark mark = yaml.getProblemMark() != null ? yaml.getProblemMark() : yaml.getContextMark();
      String problem = yaml.getProblem() != null ? yaml.getProblem() : yaml.getContext();
      if (mark != null && problem != null) {
        String context =
            yaml.getContext() != null && yaml.getContextMark() != null && yaml.getProblem() != null
                ? " ("
                    + yaml.getContext()
                    + " started at line "
                    + (yaml.getContextMark().getLine() + 1)
                    + ")"
                : "";
        return at(mark.getLine() + 1, mark.getColumn() + 1) + problem + context;
      }
    }
    JsonLocation location = e.getLocation();
    String message = String.valueOf(e.getOriginalMessage()).lines().findFirst().orElse("");
    return location == null
        ? "invalid YAML: " + message
        : at(location.getLineNr(), location.getColumnNr()) + message;
  }

  private static String at(int line, int column) {
    return "invalid YAML at line " + line + ", column " + column + ": ";
  }

  private static YAMLMapper yamlMapper() {
    // A key given twice would otherwise silently keep the last value.
    return YAMLMapper.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();
  }
}
