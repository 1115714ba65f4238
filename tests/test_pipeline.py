"""The pipeline's warm-up: what ingest loads once before forking its workers."""
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# Run in a fresh interpreter: in the test process other tests have long since
# imported and cached everything, so nothing could be seen to load late.
PROBE = """
import json, sys
from corpus_db import pipeline, quote_lexicon
from corpus_db.pipeline import Context, Document

ctx = Context()
pipeline.warm_up(ctx)
modules, lexicons = set(sys.modules), quote_lexicon._lexicon.cache_info().currsize
texts = json.loads(sys.stdin.read())
for i, text in enumerate(texts):
    pipeline.process(Document(path=f"doc{i}", text=text), ctx)
print(json.dumps({"imported": sorted(set(sys.modules) - modules),
                  "new_lexicons": quote_lexicon._lexicon.cache_info().currsize - lexicons}))
"""

SWEDISH = (
    "Regeringen presenterade på tisdagen ett nytt förslag om försvarets budget. "
    "\"Vi måste stärka vår beredskap\", sade försvarsministern vid en presskonferens i Stockholm. "
    "Oppositionen kritiserade förslaget och menade att det saknades finansiering för flera av "
    "de viktigaste satsningarna, särskilt inom den civila beredskapen och sjukvården.\n"
) * 3


def test_a_worker_forked_after_the_warm_up_loads_nothing_more():
    """Each ingest worker is forked after `warm_up` and replaced every few hundred
    documents: anything the warm-up leaves unloaded is paid again by every worker
    (datasketch and scipy took 0.8 s, the quote lexicon of each other language 0.15 s)."""
    texts = [(ROOT / "seeds" / name).read_text("utf-8") for name in sorted(p.name for p in (ROOT / "seeds").iterdir())]
    texts.append(SWEDISH)
    result = subprocess.run([sys.executable, "-c", PROBE], input=json.dumps(texts), capture_output=True,
                            text=True, cwd=ROOT, check=True)
    loaded = json.loads(result.stdout.strip().splitlines()[-1])
    assert loaded["imported"] == []
    assert loaded["new_lexicons"] == 0
