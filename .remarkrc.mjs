// remark's settings for this repository: it checks each plan's front-matter against the
// front-matter JSON Schema made from the field table (hooks/accountplans/plan/fields.py), in VS Code
// with the remark extension (unifiedjs.vscode-remark) as you type, and on the command line:
//   npx remark --quiet --frail plans
// `accountplans check` stays the judge (it also sees YAML's guesses, such as NO read as false);
// this is the help beside it. Pages of plans/ that are not plans (the dashboard, the help page,
// a team's own pages) are left out below: add yours to the list.
import remarkFrontmatter from "remark-frontmatter";
import remarkLintFrontmatterSchema from "remark-lint-frontmatter-schema";

export default {
  plugins: [
    remarkFrontmatter,
    [remarkLintFrontmatterSchema, {
      schemas: {"schema/plan-frontmatter.schema.json": ["plans/**/!(index|help).md"]},
      // The plugin's validator knows draft-07's meta-schema only; the schema uses no keyword
      // that differs between draft-07 and 2020-12, so it is used without checking it against
      // its meta-schema (tests/test_tables.py checks it against 2020-12's).
      ajvOptions: {validateSchema: false},
    }],
  ],
};
