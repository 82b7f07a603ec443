// filled in by the worksheet helper
