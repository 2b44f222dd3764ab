from guide import commune as commune_config


def commune(request) -> dict:
    """The commune's identity, and whether the page is embedded in the commune's own site."""
    return {"commune": commune_config.get(), "embed": getattr(request, "embed", False)}
