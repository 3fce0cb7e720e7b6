"""Titles a unit holds over time (xã NTM, nâng cao, kiểu mẫu; huyện NTM…), each with its recognition decision and,
if it happens, its revocation."""
