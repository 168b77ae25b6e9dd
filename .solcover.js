// Coverage counts the production contracts only: test doubles and examples are not shipped in the blob.
module.exports = {
  skipFiles: ["test/", "examples/"],
  istanbulReporter: ["html", "lcov", "json-summary", "text"],
  configureYulOptimizer: true,
};
