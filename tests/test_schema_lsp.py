"""The JSON Schema as an editor sees it: the real yaml-language-server over LSP stdio.

``.ci/run`` installs yaml-language-server 1.x into ``tests/.node`` (2.x needs Node 22); the
tests run, not skip, when ``CI`` is set. Outside CI they skip when it is not installed:
``npm install --prefix tests/.node --no-save yaml-language-server@1``.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import textwrap
import threading
import time
from pathlib import Path
from typing import Any

import pytest
from conftest import ROOT, run_cli

pytestmark = [pytest.mark.lsp, pytest.mark.xdist_group("lsp")]  # one language server

SERVER = ROOT / "tests" / ".node" / "node_modules" / "yaml-language-server" / "bin" / "yaml-language-server"
CJK = re.compile(r"[\u4e00-\u9fff]")
LATIN = re.compile(r"[A-Za-z]{3,}")


def _server_command() -> list[str]:
    node = shutil.which("node")
    if node is None or not SERVER.exists():
        if os.environ.get("CI"):
            pytest.fail("yaml-language-server is not installed in tests/.node (.ci/run installs it)")
        pytest.skip("yaml-language-server not installed: npm install --prefix tests/.node --no-save "
                    "yaml-language-server@1")
    return [node, str(SERVER), "--stdio"]


class LanguageServer:
    """A minimal LSP client: JSON-RPC with Content-Length framing over the server's stdio."""

    def __init__(self, command: list[str], root: Path) -> None:
        self.proc = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=subprocess.DEVNULL)
        self.next_id = 0
        self.responses: dict[int, Any] = {}
        self.diagnostics: dict[str, list[dict[str, Any]]] = {}
        self.cond = threading.Condition()
        threading.Thread(target=self._read, daemon=True).start()
        self.request("initialize", {
            "processId": os.getpid(), "rootUri": root.as_uri(),
            "capabilities": {"textDocument": {
                "hover": {"contentFormat": ["markdown", "plaintext"]},
                "completion": {"completionItem": {"snippetSupport": False}},
                "publishDiagnostics": {}}, "workspace": {"configuration": True}},
        })
        self.notify("initialized", {})
        self.notify("workspace/didChangeConfiguration", {"settings": self._settings()})

    @staticmethod
    def _settings() -> dict[str, Any]:
        return {"yaml": {"validate": True, "hover": True, "completion": True, "schemaStore": {"enable": False}}}

    def _send(self, message: dict[str, Any]) -> None:
        body = json.dumps({"jsonrpc": "2.0", **message}).encode("utf-8")
        assert self.proc.stdin is not None
        self.proc.stdin.write(f"Content-Length: {len(body)}\r\n\r\n".encode("ascii") + body)
        self.proc.stdin.flush()

    def _read(self) -> None:
        stream = self.proc.stdout
        assert stream is not None
        while True:
            headers: dict[str, str] = {}
            while True:
                line = stream.readline()
                if not line:
                    return
                if line in (b"\r\n", b"\n"):
                    break
                name, _, value = line.decode("ascii").partition(":")
                headers[name.strip().lower()] = value.strip()
            message = json.loads(stream.read(int(headers["content-length"])))
            if "method" in message and "id" in message:  # a request from the server
                result: Any = None
                if message["method"] == "workspace/configuration":
                    result = [self._settings()["yaml"] if item.get("section") == "yaml" else None
                              for item in message["params"]["items"]]
                self._send({"id": message["id"], "result": result})
            elif message.get("method") == "textDocument/publishDiagnostics":
                with self.cond:
                    self.diagnostics[message["params"]["uri"]] = message["params"]["diagnostics"]
                    self.cond.notify_all()
            elif "id" in message:
                with self.cond:
                    self.responses[message["id"]] = message
                    self.cond.notify_all()

    def request(self, method: str, params: dict[str, Any], timeout: float = 30) -> Any:
        self.next_id += 1
        number = self.next_id
        self._send({"id": number, "method": method, "params": params})
        with self.cond:
            assert self.cond.wait_for(lambda: number in self.responses, timeout), f"no answer to {method}"
            message = self.responses.pop(number)
        assert "error" not in message, message
        return message["result"]

    def notify(self, method: str, params: dict[str, Any]) -> None:
        self._send({"method": method, "params": params})

    def open(self, path: Path, text: str) -> str:
        uri = path.as_uri()
        self.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "yaml", "version": 1,
                                                              "text": text}})
        return uri

    def wait_diagnostics(self, uri: str, timeout: float = 30) -> list[dict[str, Any]]:
        """The diagnostics of ``uri`` once they have settled (the server may publish twice)."""
        deadline = time.monotonic() + timeout
        with self.cond:
            assert self.cond.wait_for(lambda: uri in self.diagnostics, timeout), "no diagnostics published"
        last = None
        while time.monotonic() < deadline:
            time.sleep(0.5)
            with self.cond:
                current = self.diagnostics[uri]
            if current == last:
                return current
            last = current
        return last or []

    def hover(self, uri: str, line: int, column: int) -> str:
        result = self.request("textDocument/hover", {"textDocument": {"uri": uri},
                                                     "position": {"line": line, "character": column}})
        if not result:
            return ""
        contents = result["contents"]
        return contents["value"] if isinstance(contents, dict) else str(contents)

    def completion(self, uri: str, line: int, column: int) -> list[str]:
        result = self.request("textDocument/completion", {"textDocument": {"uri": uri},
                                                          "position": {"line": line, "character": column}})
        items = result["items"] if isinstance(result, dict) else result or []
        return [item["label"] for item in items]

    def close(self) -> None:
        try:
            self.request("shutdown", {}, timeout=10)
            self.notify("exit", {})
            self.proc.wait(timeout=10)
        except Exception:  # noqa: BLE001 - a stuck server is killed below
            pass
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()


@pytest.fixture(scope="module")
def schemas(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The three schemas as ``safetycheck schema --kind`` writes them, in one folder."""
    folder = tmp_path_factory.mktemp("schemas")
    for kind in ("checklist", "profile", "sources"):
        result = run_cli("schema", "--kind", kind)
        assert result.returncode == 0, result.stderr
        (folder / f"{kind}.schema.json").write_text(result.stdout, encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def server(schemas: Path) -> Any:
    client = LanguageServer(_server_command(), schemas)
    yield client
    client.close()


GOOD = """\
    # yaml-language-server: $schema=checklist.schema.json
    id: my-plant
    title: 本厂季度安全检查
    aliases: [季度检查]
    version: "1.0"
    audience: [企业]
    summary: 本厂每季度自查用。
    status: draft
    sources:
      - doc: 某政发〔2026〕1号
        issuer: 某县人民政府
        date: "2026-02-01"
        title: 某县人民政府关于做好2026年安全生产工作的通知
        clauses: ["(三)"]
    sections:
      - id: zeren
        title: 安全责任
        aliases: [责任]
        items:
          - id: zeren-01
            text: 是否制定全员安全生产责任制？
            standard: 以正式文件印发的全员安全生产责任制，覆盖每个岗位。
            method: [查资料, 抽考]
            basis:
              - doc: 某政发〔2026〕1号
                clause: "(三)"
                req: lc-03-01
                note: 第三条
              - law: 安全生产法
                article: 22
                item: "(一)"
            major_possible: false
            hint: 制定并印发全员安全生产责任制。
            tags: [责任制]
            verified: false
            note: 条款待核实。
            when:
              industry: [危险化学品, 化工]
              mode: [inspect]
              body_type: [县级部门]
            penalty:
              - law: 安全生产法
                article: 94
            same_as: wudaowei/zeren-01
"""

PROFILE = """\
    # yaml-language-server: $schema=profile.schema.json
    id: my-profile
    title: 本厂综合检查
    aliases: [综合检查]
    version: "1"
    audience: [企业]
    summary: 本厂综合检查用。
    checklists: [wudaowei, weihua]
    exclude: [wudaowei/zeren-01]
    industry: [化工]
"""

SOURCES = """\
    # yaml-language-server: $schema=sources.schema.json
    documents:
      - doc: 某政发〔2026〕1号
        title: 某县人民政府关于做好2026年安全生产工作的通知
        issuer: 某县人民政府
        date: "2026-02-01"
        kind: notice
        aliases: [某县通知]
        industries: [冶金]
        verified: true
        note: 示例。
    laws:
      - law: 某某条例
        title: 某省某某条例
        issuer: 某省人民代表大会常务委员会
        date: "2026-01-01"
        articles: 40
        aliases: [条例]
        verified: true
        note: 示例。
    requirements:
      - id: lc-03-01
        doc: 某政发〔2026〕1号
        clause: "(三)"
        audience: [企业]
        text: 企业建立全员安全生产责任制。
        checkable: false
        reason: 示例。
"""


def _resolve(schema: dict[str, Any], node: dict[str, Any], name: str) -> tuple[str, dict[str, Any]]:
    """Follow ``$ref`` (naming the definition) and take the non-null alternative of an ``anyOf``."""
    while True:
        if "$ref" in node:
            name = node["$ref"].rsplit("/", 1)[1]
            node = schema["$defs"][name]
        elif "anyOf" in node:
            node = next(alt for alt in node["anyOf"] if alt.get("type") != "null")
        else:
            return name, node


def _keys(text: str, schema: dict[str, Any]) -> list[tuple[int, int, tuple[str, str], dict[str, Any]]]:
    """Each mapping key of a block-style YAML text: (line, column, (object, property), property schema)."""
    out: list[tuple[int, int, tuple[str, str], dict[str, Any]]] = []
    stack: list[tuple[int, str, dict[str, Any]]] = [(-1, *_resolve(schema, schema, ""))]
    for number, line in enumerate(text.splitlines()):
        match = re.match(r"^(\s*)(- )?([a-z_]+):", line)
        if not match:
            continue
        column = len(match.group(1)) + len(match.group(2) or "")
        while stack[-1][0] >= column:
            stack.pop()
        _, owner, node = stack[-1]
        key = match.group(3)
        prop = node["properties"][key]
        out.append((number, column, (owner, key), prop))
        name, child = _resolve(schema, prop, key)
        if child.get("type") == "array" and "items" in child:
            name, child = _resolve(schema, child["items"], name)
        if "properties" in child:
            stack.append((column, name, child))
    return out


def _properties(schema: dict[str, Any]) -> set[tuple[str, str]]:
    """Every (object, property) the schema defines, the keys of ``when`` included."""
    found = {(name, prop) for name, d in schema["$defs"].items() for prop in d.get("properties", {})}
    if "Item" in schema["$defs"]:
        _, when = _resolve(schema, schema["$defs"]["Item"]["properties"]["when"], "when")
        found |= {("when", key) for key in when["properties"]}
    return found


@pytest.mark.parametrize(("kind", "text"), [("checklist", GOOD), ("profile", PROFILE), ("sources", SOURCES)])
def test_every_property_hovers_with_chinese_and_english(server: LanguageServer, schemas: Path, kind: str,
                                                        text: str) -> None:
    """Draft 2020-12 ``$defs`` resolve: every key, at every depth, shows its own description."""
    schema = json.loads((schemas / f"{kind}.schema.json").read_text(encoding="utf-8"))
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert "definitions" not in schema and schema["$ref"].startswith("#/$defs/")
    text = textwrap.dedent(text)
    uri = server.open(schemas / f"hover-{kind}.yaml", text)
    assert server.wait_diagnostics(uri) == []
    hovered = set()
    for line, column, where, prop in _keys(text, schema):
        hover = server.hover(uri, line, column + 1)
        assert CJK.search(hover) and LATIN.search(hover), f"{where}: hover is {hover!r}"
        chinese = prop["description"].split(" / ")[0]
        hover = hover.replace("\\_", "_")  # the server escapes Markdown's underscore (body\\_type)
        assert chinese in hover, f"{where}: hover {hover!r} lacks {chinese!r}"
        hovered.add(where)
    assert _properties(schema) - hovered == set(), "properties the sample does not reach"


def test_bad_checklist_gets_diagnostics_at_the_right_lines(server: LanguageServer, schemas: Path) -> None:
    text = textwrap.dedent(GOOD).replace("method: [查资料, 抽考]", "method: [检查]").replace(
        "industry: [危险化学品, 化工]", "industry: [炼油]").replace("status: draft", "status: final\nowner: 张三")
    uri = server.open(schemas / "bad.yaml", text)
    diagnostics = server.wait_diagnostics(uri)
    lines = text.splitlines()
    by_line: dict[str, list[str]] = {}
    for d in diagnostics:
        by_line.setdefault(lines[d["range"]["start"]["line"]].strip(), []).append(d["message"])
    assert set(by_line) == {"method: [检查]", "industry: [炼油]", "status: final", "owner: 张三"}, by_line
    assert any("抽考" in m for m in by_line["method: [检查]"])
    assert any("危险化学品" in m for m in by_line["industry: [炼油]"])
    assert any("stable" in m for m in by_line["status: final"])


def test_completion_offers_industries_and_registry_laws(server: LanguageServer, schemas: Path) -> None:
    text = textwrap.dedent("""\
        # yaml-language-server: $schema=checklist.schema.json
        id: my-plant
        sections:
          - id: zeren
            title: 安全责任
            items:
              - id: zeren-01
                basis:
                  - law:\x20
                when:
                  industry:
                    -\x20
        """)
    uri = server.open(schemas / "complete.yaml", text)
    server.wait_diagnostics(uri)
    lines = text.splitlines()
    industry_line = len(lines) - 1
    industries = server.completion(uri, industry_line, len(lines[industry_line]))
    from safetycheck.catalog.models import INDUSTRIES

    assert set(INDUSTRIES) <= set(industries)
    law_line = next(i for i, line in enumerate(lines) if "law:" in line)
    laws = server.completion(uri, law_line, len(lines[law_line]))
    assert "安全生产法" in laws
