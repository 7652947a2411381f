"""axe-core (tests/js, from the npm registry, never a CDN) run in a page: the WCAG 2.0-2.2 A
and AA rules. The test evaluates it, since the page's CSP allows no script but its own."""

from __future__ import annotations

from playwright.async_api import Page

from tests.instances import REPO

AXE = REPO / "tests" / "js" / "node_modules" / "axe-core" / "axe.min.js"
WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


async def axe_violations(page: Page) -> list[str]:
    """What axe finds in the page as it is now, one line per rule with its first elements."""
    await page.evaluate(AXE.read_text())
    return await page.evaluate(
        """async (tags) => {
          const r = await axe.run(document, {runOnly: {type: 'tag', values: tags}});
          return r.violations.map(v => v.id + ': ' + v.help + ' — ' +
            v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(', '));
        }""",
        WCAG_AA,
    )
