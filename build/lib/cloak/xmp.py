"""XMP written into every published image: the PLUS data-mining prohibition and the artist's
copyright and credit, so the statement travels with the file wherever it is copied."""

from __future__ import annotations

from xml.sax.saxutils import escape

DMI_PROHIBITED_AIML = "http://ns.useplus.org/ldf/vocab/DMI-PROHIBITED-AIMLTRAINING"


def rights_xmp(*, creator: str, copyright_notice: str, credit: str, web_statement: str) -> str:
    e = escape
    return (
        '<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>'
        '<x:xmpmeta xmlns:x="adobe:ns:meta/">'
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
        '<rdf:Description rdf:about=""'
        ' xmlns:plus="http://ns.useplus.org/ldf/xmp/1.0/"'
        ' xmlns:dc="http://purl.org/dc/elements/1.1/"'
        ' xmlns:photoshop="http://ns.adobe.com/photoshop/1.0/"'
        ' xmlns:xmpRights="http://ns.adobe.com/xap/1.0/rights/"'
        f' plus:DataMining="{DMI_PROHIBITED_AIML}"'
        f' photoshop:Credit="{e(credit, {chr(34): "&quot;"})}"'
        ' xmpRights:Marked="True"'
        f' xmpRights:WebStatement="{e(web_statement, {chr(34): "&quot;"})}">'
        f"<dc:creator><rdf:Seq><rdf:li>{e(creator)}</rdf:li></rdf:Seq></dc:creator>"
        '<dc:rights><rdf:Alt><rdf:li xml:lang="x-default">'
        f"{e(copyright_notice)}</rdf:li></rdf:Alt></dc:rights>"
        "</rdf:Description></rdf:RDF></x:xmpmeta>"
        '<?xpacket end="w"?>'
    )
