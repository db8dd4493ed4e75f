package io.glmvoicebatch.ledger;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/** A fresh {@link ObjectStoreFileSystem} for each test: {@code @RegisterExtension ObjectStoreRoot store}. */
public final class ObjectStoreRoot implements BeforeEachCallback, AfterEachCallback {
  private Path dir;
  private AutoCloseable restore;

  /** Where this test's objects live as files. */
  public Path dir() {
    return dir;
  }

  @Override
  public void beforeEach(ExtensionContext context) throws Exception {
    dir = Files.createTempDirectory("glm-objstore");
    restore = ObjectStoreFileSystem.rootAt(dir);
  }

  @Override
  public void afterEach(ExtensionContext context) throws Exception {
    restore.close();
    try (var files = Files.walk(dir)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }
}
