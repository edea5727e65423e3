"""The blind triage sets are frozen: written by independent reviewers before triage changed (issue
#12), never edited after results were seen. Their digests are recorded here, so an edit fails."""

from __future__ import annotations

import hashlib
from collections import Counter
from pathlib import Path

import pytest
import yaml

import prompts
from eval.datasets import SUITES, load_suite

FROZEN = {
    "triage-blind": "d5ebb7315282f8062cafe1c0bd129339649625bfdca114692d6798ec1be82cc7",
    "triage-blind-b": "ac1b0b0fd3dfaa5c5207ada00d98e9916fbe65b6d25f37bba92c03756b95b3a6",
    "triage-blind-c": "47087eef92bf214e6b06a1390af0ee3f7b7c80d5a6953d44983a95bc1761b263",
    "answers-blind": "639615a09c176257b0777fad8a581581cdecdf1744a7bc6da9b339696d677f3f",
    "answers-blind-2": "5ea6af5d6679c6ee0bba1f967d5f8663f360eabe3f3059d58f8c8344c94e6f31",
    "answers-blind-3": "c7826cfc0841da20970a7dedd16336d3f4e73310a378350e5c6bf17702282247",
    "triage-blind-d": "b0c5937e353c503d57c5663e8c8df3d7a02aefc5af802c9fa2023a346548fbc8",
    "answers-blind-4": "1bc9516f4d67e231190de2968991b0b8f5fddec68a63c65f242248f55f59ee3e",
    "answers-blind-5": "3b0e10e7660e7307253cb20edbf23edba54592d4676b2825d569bba88eb20497",
    "triage-blind-e": "f85bc01eb213bbb1cf31a3c85b80fc45a34d635faccb9cccaf6c27f6587c3225",
    "answers-blind-6": "c45c11020eafb63d0bdc4dd65accab24ee13564eb3f53691c7f062233b66b0fb",
    "answers-blind-7": "c18e41e92f1128233d555a68128fab2dc8523e955d45a35f00cd97627a499bf1",
    "answers-blind-8": "b42cb3dc21e69a32b7f4a449f4883cc8c9cd65aec62a1b141c3fdb0a4e07ebe8",
    "triage-blind-f": "e6764e30683c6f2329b1104eb3d9c83db1a959e832943b16cb258c531dda53c1",
    "triage-blind-g": "66e228ba653dcaf39092b1d2af55c7055dd5986aa092fb4e7c0f0369ad633ba6",
    "answers-blind-9": "28648df4a8ff6ac3e51861546a7bca3d17aa053b80efe677508624f617e0d065",
    "answers-blind-10": "26a8344874dafd81ffd202b8323b61c3234c3b428488159cfe7cde9dff91c485",
    "answers-blind-11": "1b2a9256f6a39cdec4801999abc0b4a5bc2f9b6be47d99b38add8571d06ea553",
    "answers-blind-12": "b113ca780ba0cae4fe85b632e7a141d177233598683c56468d72cc72eaf8d905",
    "triage-blind-h": "d3a4ca742992f18fa041a365d9aa04895e3e55528418b6cb094010e1ff9fb635",
    "answers-blind-13": "da432c38d985fcb3788416de7bcf30006f55ed61659a2928aa3855e09c408810",
    "triage-blind-i": "21a1c2c3d3a872fe0dea88204dbb42c392dadc9452e1523912e15050a4b90e20",
    "answers-blind-14": "6a4fee9f49833c3b1f9615148da9038d3427333c739ab9dd6fd0c89c2b9af33d",
    "triage-blind-j": "45c3303a7dabb97c8ccf11a08f922deffd385bf3b38eee564c36805b60113935",
    "answers-blind-15": "d554d1e90d01c0c7a6d6bdee51cfefd0543c0e3708f50c5aa90eab303642eb7f",
    "triage-blind-k": "9c7d089c9bb4a6168193499212d88ebe6a45dfbfa24d88a339ed9641e286bcc0",
    "answers-blind-16": "5ac9d7821936aa91920941b9796569359cdfa47a777d8d92bb2af88ba6c0462b",
    "triage-blind-l": "afa641f20d66f6ed27b11e832f16f9ba7f36e72c8d0218a1c5594031618cab15",
    "triage-blind-m": "3e2ee3d4812d68cdd8585defd66aeae7b0445eab1edaff61787e6ae279f0c6e2",
    "triage-blind-n": "c12af9b2b76439bf7df1e2fdcd1f1cb11d752cf6407b7b4fe72f89480ef3287f",
    "answers-blind-17": "e4cf79673d0ce47a06b73f617be007ea5a209d3c773468214148aebc15a6e392",
    "triage-blind-o": "cee1077178896c9d24bc98e87b7e79e767bf4bc2a1dd04328ded78af4d8e7fe9",
    "triage-blind-p": "20b881d1001b06aeac9a327bd05334c5c954f279d331a89b9f83e634397bd25c",
    "triage-blind-q": "003a7be8c63e05a48d847af403c9fbb563748ecae82eb2b9f5e950060e0567cc",
    "answers-blind-18": "0499f312ecc2d78574d38d69989f7bfba1f2182fa38da3ebd29ba0dc44cfa6ec",
    "triage-blind-r": "f1977c8f307da4fb7efee1bb648ef711b3325ec9487f8e026b1b2e31b53947ab",
    "answers-blind-19": "e9cec892598d7a70e8783de06f477c16756a1d5bc6f83051dc906b6c76b4e71d",
    "triage-blind-s": "7ebadcffd07d43861982ef989f7287691531f90a635e07d5b952024135ff14eb",
    "triage-blind-t": "05edfb54a8b588699c8eefea248838af4376c33d0707354ec8b8a963e95ecd42",
    "answers-blind-20": "349d0cbdb45a582ba7ce4e01d558168b067314281aea7dfc6f0e0ef14004b039",
    "triage-blind-u": "138be6b87e612e397ab8bcf9a38b32bbc0fcb02b64c62e084e0b81ec2976b1ac",
    "answers-blind-21": "47593f1b89a5c02defdabf396a02da62c000961050362305abec96402501cdd5",
    "answers-blind-22": "b969bf6772b192322954a20d7d017429906d0936427f6929d34960b2751663be",
    "triage-blind-v": "b74389d0dbf4871a9e2ef33b5df003a3625b286fb02b3e339349d6d6d0edd7c1",
    "answers-blind-23": "3e37c0557907082d1f54022bbedcb1c2685fcebca18376dc6dc894b2653806f1",
    "triage-blind-w": "057e472f016c99140996b1dc8333fc6fb853e12d5d51c4413707c07d98def3bf",
    "answers-blind-24": "7ab40c0d9c525ca3be5ff0514ea998ed15be633724b1940ce90cf7359e206490",
    "triage-blind-x": "d5ca6372dbba0a43880f7995b2147b021ddf9ac6704ad2669b5ef64052a30b39",
    "answers-blind-25": "fcafb72b0a9fa61ed531e68f135cf71018e92adbce6e7ed4bf6466a8501a552f",
    "triage-blind-y": "b3d9b0777a64761c6e6402cd34863474bc3c84abd2e127a995fec474af3930b3",
    "answers-blind-26": "b53e67286beab0d7c7d13e8771c5542ad1bf0b110260556bdee84d54aca118b6",
    "triage-blind-z": "00e7a28bd3c656fadf65d83cf110718c797b3ce78da9bc3145b432ee00b1fdaa",
    "answers-blind-27": "fafb648070524ab91de27ffa13100d0b2c8d3694e69b7367a3103be32c5293c6",
    "answers-blind-28": "80a3fa04b1ea2131bf9f0382e111e82ba7675b8686f19e1a5d5fd052576c83c0",
    "triage-blind-aa": "1e3b3a62a2ac4385b2210510c2de5650c5874ad289e92673fb7bdef96f1086ea",
    "answers-blind-29": "9257cbadb40ff29bb03b1e3b72d592eca7a94d0341e01af7a13458c03179a07a",
    "triage-blind-ab": "ed0f9eef8fdbba4c8a3b26a16591d6cc60094d57693e25da0aecbf3e6a305c6a",
    "triage-blind-ac": "8ddd17eb43780925761db4a155f5b3f6f00d6b907c73e08cff1bf9ae1ce30d3e",
    "triage-blind-ad": "76cc18f94683a229c7a04f4bfcd0ab98c52e8a5f103e019bf6e612638a552116",
    "triage-blind-ae": "69c425286d400a65c2ebbe54719c729c42bfa7a00497859ea9724508da1c881a",
    "answers-blind-30": "2fe3a9dd7dc3f5837884a5e3ea5d7f5e6e6453e81d67d449cbf4103768c54f89",
    "triage-blind-af": "24bca2896bd88b8e320a483b9f70066d6d387ea1bdba31f609234bd435459da8",
    "answers-blind-31": "ec7ca549e92c676d66c4aa1384ef2fac34f29db9369da5fc4c804999515e4460",
    "triage-blind-ag": "ab069e37ce795d985a457e017b755d603dd11b5ce32d25d9ac2cb31feb154cf1",
}


@pytest.mark.parametrize(("suite", "digest"), FROZEN.items())
def test_blind_sets_are_unchanged(suite: str, digest: str) -> None:
    assert hashlib.sha256(SUITES[suite].path.read_bytes()).hexdigest() == digest


def test_the_taxonomy_set_meets_its_specification() -> None:
    """≥ 150 messages: ≥ 70 urgent over every taxonomy category, ≥ 50 near misses, ≥ 30 dosing."""
    taxonomy = yaml.safe_load((Path(prompts.__file__).parent / "triage_taxonomy.yaml").read_text())
    cases = load_suite("triage-blind").cases
    kinds = Counter(c.expect_kind for c in cases)
    assert len(cases) >= 150 and kinds["urgent"] >= 70 and kinds["not_urgent"] >= 50 and kinds["refer"] >= 30
    urgent_categories = {c.red_flag for c in cases if c.expect_kind == "urgent"}
    assert urgent_categories == set(taxonomy["urgent"])
    assert all(c.category.startswith(f"{c.expected_kind}: ") for c in cases)
