def access(request) -> dict:
    return {}
