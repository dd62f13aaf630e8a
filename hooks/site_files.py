"""The files MkDocs is given back by the accountplans hook's on_files: refused files out,
drafts marked, stand-ins for plans that may not be shown, and the generated pages and
downloads in (here, so that MkDocs checks links to them, `serve` serves them and on_nav groups
them). MkDocs structures only; what to publish is decided by
accountplans.site.sitebuild.SiteBuild. Imported by the hook at its top, like site_nav."""

from __future__ import annotations

from accountplans.site.sitebuild import SiteBuild
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files, InclusionLevel

__all__ = ["published_files"]


def published_files(files: Files, config: MkDocsConfig, build: SiteBuild) -> Files:
    """`files` as `build` publishes them, with its generated files written and added."""
    for file in list(files):
        if not build.publishes(file.src_uri):
            files.remove(file)
    for file in files.documentation_pages():
        if build.is_draft(file.src_uri):
            file.inclusion = InclusionLevel.DRAFT
        if (stand_in := build.stand_in(file.src_uri)) is not None:
            file.content_string = stand_in
    for made in build.write_generated(lambda uri: files.get_file_from_path(uri) is not None,
                                      use_directory_urls=config.use_directory_urls,
                                      site_url=config.site_url,
                                      with_tags="material/tags" in config.plugins):
        file = File.generated(config, made.src_uri, abs_src_path=str(made.path))
        if not made.in_nav:
            file.inclusion = InclusionLevel.NOT_IN_NAV
        files.append(file)
    return files
