"""Streamlit's own English words, in Vietnamese, in the browser.

Streamlit draws some words of its own in English and offers no translation:
a table's toolbar tips and column menu, and the names a screen reader reads
for its buttons ("Help for …", "Close"). :func:`install` mounts, once per
page, a component without a frame whose script watches the page and puts the
Vietnamese of :data:`~dashboard.texts.frontend.STREAMLIT_WORDS` in place of
those words: in texts only inside Streamlit's tooltips, menus and table
toolbars (never the app's own content), and in the ``aria-label``, ``title``,
``placeholder`` and ``data-title`` (a chart toolbar's tips) of any element.
The rest of what Streamlit says is reworded by the app's styles
(:mod:`dashboard.ui.components`).
"""

from __future__ import annotations

import functools

import streamlit as st

from dashboard.texts.frontend import STREAMLIT_PREFIXES, STREAMLIT_WORDS

KEY = "app_frontend_words"

#: Where a text of Streamlit's own is reworded (its tooltips, pop-up menus, table toolbars, a
#: column's statistics).
SCOPE = ('[role="tooltip"], [data-baseweb="popover"], [role="menu"], '
         '[data-testid="stElementToolbar"], [data-testid="stDataFrame"], '
         '[data-testid="stDataFrameStatisticsMenu"]')  # fmt: skip

JS = r"""
export default function (component) {
    const w = window;
    w.__appWords = component.data;  // the latest list, should a new one come
    if (w.__appWordsObserver) return;
    const ATTRS = ["aria-label", "title", "placeholder", "data-title"];
    const SCOPE = w.__appWords.scope;
    const ATTR_SELECTOR = ATTRS.map((a) => `[${a}]`).join(",");

    function reworded(text) {
        const {words, prefixes} = w.__appWords;
        const core = text.trim();
        if (!core) return null;
        if (Object.prototype.hasOwnProperty.call(words, core)) return text.replace(core, words[core]);
        for (const [english, vietnamese] of Object.entries(prefixes)) {
            if (core.startsWith(english)) return text.replace(english, vietnamese);
        }
        return null;
    }
    function fixText(node) {
        const text = reworded(node.nodeValue);
        if (text !== null && text !== node.nodeValue) node.nodeValue = text;
    }
    function fixAttributes(el) {
        for (const name of ATTRS) {
            const value = el.getAttribute(name);
            if (value === null) continue;
            const text = reworded(value);
            if (text !== null && text !== value) el.setAttribute(name, text);
        }
    }
    function fixTexts(root) {
        const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
        for (let node = walker.nextNode(); node; node = walker.nextNode()) fixText(node);
    }
    function fix(node) {
        if (node.nodeType === Node.TEXT_NODE) {
            if (node.parentElement && node.parentElement.closest(SCOPE)) fixText(node);
            return;
        }
        if (node.nodeType !== Node.ELEMENT_NODE) return;
        if (node.matches(ATTR_SELECTOR)) fixAttributes(node);
        node.querySelectorAll(ATTR_SELECTOR).forEach(fixAttributes);
        if (node.closest(SCOPE)) fixTexts(node);
        else node.querySelectorAll(SCOPE).forEach(fixTexts);
    }
    w.__appWordsObserver = new MutationObserver((records) => {
        for (const record of records) {
            if (record.type === "childList") record.addedNodes.forEach(fix);
            else if (record.type === "characterData") fix(record.target);
            else fixAttributes(record.target);
        }
    });
    w.__appWordsObserver.observe(document.body, {
        subtree: true, childList: true, characterData: true, attributes: true, attributeFilter: ATTRS,
    });
    fix(document.body);
}
"""


@functools.cache
def _component():
    return st.components.v2.component("hotspot_frontend_words", js=JS)


def words() -> dict:
    """What the script is given: the words, the beginnings, where texts are reworded."""
    return {"words": STREAMLIT_WORDS, "prefixes": STREAMLIT_PREFIXES, "scope": SCOPE}


def install() -> None:
    """Mount the script (takes no room: the app's styles hide its element)."""
    _component()(key=KEY, data=words())
