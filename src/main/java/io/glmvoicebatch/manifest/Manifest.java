package io.glmvoicebatch.manifest;

import java.util.List;

/** A parsed manifest: the valid items, and one problem per line that could not be used. */
public record Manifest(String source, List<ManifestItem> items, List<ManifestProblem> problems) {
  public Manifest {
    items = List.copyOf(items);
    problems = List.copyOf(problems);
  }

  public int size() {
    return items.size() + problems.size();
  }
}
